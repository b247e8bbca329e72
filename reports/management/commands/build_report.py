"""``build_report --committee SLUG --year YYYY --format html|pdf|docx --out FILE``.

Renders synchronously (no Celery) for ops and automation; exits non-zero with a
one-line reason on bad input. A PDF is a build like one asked for in the
browser: a ReportBuild run through the same service, so the file is registered,
sealed and printed with its verification code (``verify_pdf`` accepts it), and
a final report prints its frozen content. The Word file is the same text in
the GB/T 9704 layout, for the office to edit (``reports/word.py``).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from portal.models import Committee
from portal.years import MAX_YEAR, MIN_YEAR
from reports import frozen, renderers, services
from reports.models import ReportBuild
from reports.selectors import report_context, report_of_year


class Command(BaseCommand):
    help = "Compile a committee's annual report to HTML, PDF or Word."

    def add_arguments(self, parser):
        parser.add_argument("--committee", required=True, help="committee slug")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--format", required=True, choices=["html", "pdf", "docx"])
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
        try:
            context = report_context(c, year, report_of_year(c, year))
        except frozen.FrozenContentAltered:
            raise CommandError(f"the frozen content of the final {year} report was altered; run audit_chain") from None
        if not context["has_data"]:
            raise CommandError(f"no records for committee {committee} in {year}")
        with translation.override(renderers.LANGUAGE):
            if fmt == "pdf":
                content = self.build_pdf(c, year)
            elif fmt == "docx":
                content = renderers.render_docx_file(context)[2]
            else:
                content = renderers.render_html(context)[2]
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"cannot write to {out}: {exc.strerror or exc}") from None
        self.stdout.write(f"wrote {out} ({len(content)} bytes)")

    def build_pdf(self, committee: Committee, year: int) -> bytes:
        report = services.report_for_year(committee=committee, year=year)
        build = services.build_create(report=report)
        try:
            done = services.build_run(build_id=build.pk)
        except Exception as exc:
            services.build_fail(build_id=build.pk, error=services.error_text(exc))
            raise CommandError(f"build #{build.pk} failed: {type(exc).__name__}: {exc}") from None
        if done is None:
            raise CommandError(f"build #{build.pk} failed: {ReportBuild.objects.get(pk=build.pk).error}")
        self.stdout.write(f"build #{done.pk} of the {year} report, verification code {done.issued.display_code}")
        with done.pdf_file.open("rb") as fh:
            return fh.read()
