"""``manage.py export_ledger --committee SLUG --year YYYY --out FILE.xlsx``."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.ledger.exporter import ledger_workbook
from portal.models import Committee
from portal.years import MAX_YEAR, MIN_YEAR


class Command(BaseCommand):
    help = "导出一个党委某年度的台账工作簿（格式见 ledger-format.md）。"

    def add_arguments(self, parser):
        parser.add_argument("--committee", required=True, help="committee slug")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--out", required=True, help="the .xlsx file to write")
        parser.add_argument(
            "--without-summaries", action="store_true", help="leave talk summaries (谈话要点, confidential) empty"
        )

    def handle(self, *args, committee, year, out, without_summaries, **options):
        found = Committee.objects.filter(slug=committee).first()
        if found is None:
            raise CommandError(_("党委“%(slug)s”不存在。") % {"slug": committee})
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise CommandError(_("年度应在 %(low)s–%(high)s 之间。") % {"low": MIN_YEAR, "high": MAX_YEAR})
        export = ledger_workbook(committee=found, year=year, include_summaries=not without_summaries)
        try:
            with open(out, "wb") as handle:
                handle.write(export.data)
        except OSError as exc:
            raise CommandError(_("无法写入文件：%(reason)s") % {"reason": exc.strerror or exc}) from None
        for note in export.notes:
            self.stdout.write(self.style.WARNING(_("注意：%(note)s") % {"note": note}))
        self.stdout.write(self.style.SUCCESS(_("已导出 %(file)s") % {"file": out}))
