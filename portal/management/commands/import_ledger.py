"""``manage.py import_ledger FILE.xlsx --committee SLUG [--dry-run]``."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.ledger.importer import ledger_import


class Command(BaseCommand):
    help = "导入台账工作簿（格式见 ledger-format.md）；先检查，有任何错误则不写入。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx workbook")
        parser.add_argument("--committee", required=True, help="committee slug (created from the 党委 sheet if new)")
        parser.add_argument("--dry-run", action="store_true", help="check and count only, write nothing")

    def handle(self, *args, file, committee, dry_run, **options):
        try:
            with open(file, "rb") as handle:
                result = ledger_import(committee_slug=committee, file=handle, dry_run=dry_run)
        except OSError as exc:
            raise CommandError(_("无法打开文件：%(reason)s") % {"reason": exc.strerror or exc}) from None
        if result.refused:
            raise CommandError(result.refused)
        for counts in result.sheets:
            self.stdout.write(
                _("%(sheet)s: 新增 %(create)s，更新 %(update)s，未变 %(unchanged)s")
                % {"sheet": counts.name, "create": counts.create, "update": counts.update, "unchanged": counts.unchanged}
            )
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(_("发现 %(n)s 处错误，未写入任何数据。") % {"n": len(result.errors)})
        if dry_run:
            self.stdout.write(_("试导入完成，未写入任何数据。"))
        else:
            self.stdout.write(self.style.SUCCESS(_("导入完成。")))
