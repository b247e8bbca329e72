"""``assess --committee CHILD_SLUG --year YYYY --out FILE.xlsx``: the unit's score
sheet as it stands (ASSESSMENT.md): live automatic items while 自评中, frozen
values once submitted. Exits non-zero with a one-line reason on bad input."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from reports.assessment import renderers, selectors

from .import_rubric import committee_or_error


class Command(BaseCommand):
    help = "导出一个单位的考核得分表（xlsx）。"

    def add_arguments(self, parser):
        parser.add_argument("--committee", required=True, help="被考核党委标识")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--out", required=True)

    def handle(self, *args, committee: str, year: int, out: str, **options):
        child = committee_or_error(committee)
        assessment = selectors.assessment_for(child, year)
        if assessment is None:
            raise CommandError(f"“{child.name}”{year}年度没有已发布的考核")
        path = Path(out)
        if path.is_dir() or not path.parent.is_dir():
            raise CommandError(f"无法写入 {out}：不是可写的文件路径")
        with translation.override("zh-hans"):
            _name, _type, content = renderers.score_sheet_xlsx(selectors.score_sheet(assessment))
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"无法写入 {out}：{exc.strerror or exc}") from None
        self.stdout.write(f"已写入 {out}（{len(content)} 字节）")
