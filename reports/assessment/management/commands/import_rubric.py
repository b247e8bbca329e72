"""``import_rubric FILE.xlsx --committee PARENT_SLUG --year YYYY [--dry-run] [--draft]``.

Checks the 考核细则 sheet like the browser import (every error with sheet, row,
column and reason; nothing written unless all rows are valid), writes it
(re-import updates by 编号) and publishes it, opening the children's
assessments, unless ``--draft``. Exits non-zero with a one-line reason on bad input.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from portal.ledger.files import LedgerFileError
from portal.models import Committee
from portal.years import MAX_YEAR, MIN_YEAR
from reports.assessment import services, sheet


class Command(BaseCommand):
    help = "导入考核细则（工作表“考核细则”），并发布（--draft 时保存为草稿）。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--committee", required=True, help="上级党委标识")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--draft", action="store_true")

    def handle(self, *args, file: str, committee: str, year: int, dry_run: bool, draft: bool, **options):
        parent = committee_or_error(committee)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise CommandError(f"年度超出范围（{MIN_YEAR}–{MAX_YEAR}）：{year}")
        try:
            with open(file, "rb") as fh:
                checked = sheet.check(fh)
        except OSError as exc:
            raise CommandError(f"无法读取文件 {file}：{exc.strerror or exc}") from None
        except LedgerFileError as exc:
            raise CommandError(str(exc)) from None
        for warning in checked.warnings:
            self.stderr.write(f"警告：{warning}")
        if not checked.ok:
            for error in checked.errors:
                self.stderr.write(str(error))
            raise CommandError(f"考核细则有 {len(checked.errors)} 处错误，未导入：{checked.errors[0]}")
        if dry_run:
            self.stdout.write(f"检查通过：{len(checked.rows)} 项，合计 {checked.total.normalize()} 分（未写入）")
            return
        try:
            rubric = services.rubric_import(actor=None, committee=parent, year=year, rows=checked.rows)
            opened = [] if draft or not rubric.is_draft else services.rubric_publish(actor=None, rubric=rubric)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        state = "草稿" if rubric.is_draft else "已发布"
        self.stdout.write(f"已导入 {len(checked.rows)} 项（{state}），新开考核 {len(opened)} 个")


def committee_or_error(slug: str) -> Committee:
    found = Committee.objects.filter(slug=slug).first()
    if found is None:
        raise CommandError(f"没有标识为“{slug}”的党委")
    return found
