"""``build_report --committee SLUG --year YYYY --format html|pdf --out FILE``.

Renders synchronously (no Celery) for ops and automation; exits non-zero with a
one-line reason on bad input.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.models import Committee
from portal.years import MAX_YEAR, MIN_YEAR
from reports import renderers
from reports.selectors import report_context, report_of_year


class Command(BaseCommand):
    help = "Compile a committee's annual report to HTML or PDF."

    def add_arguments(self, parser):
        parser.add_argument("--committee", required=True, help="committee slug")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--format", required=True, choices=["html", "pdf"])
        parser.add_argument("--out", required=True, help="output file")

    def handle(self, *args, committee: str, year: int, out: str, **options):
        fmt = options["format"]
        c = Committee.objects.filter(slug=committee).first()
        if c is None:
            raise CommandError(f"unknown committee: {committee}")
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise CommandError(f"year out of range ({MIN_YEAR}-{MAX_YEAR}): {year}")
        path = Path(out)
        if path.is_dir() or not path.parent.is_dir():
            raise CommandError(f"cannot write to {out}: not a writable file path")
        context = report_context(c, year, report_of_year(c, year))
        if not context["has_data"]:
            raise CommandError(f"no records for committee {committee} in {year}")
        _name, _type, content = renderers.render_pdf_file(context) if fmt == "pdf" else renderers.render_html(context)
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"cannot write to {out}: {exc.strerror or exc}") from None
        self.stdout.write(f"wrote {out} ({len(content)} bytes)")
