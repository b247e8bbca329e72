"""``evidence_binder --committee SLUG --year YYYY --out FILE.zip`` (ASSESSMENT.md's contract).

Writes the binder synchronously (no Celery) through the same code as the page
(``reports.binder.build_binder``): the index is sealed and registered, the
report PDF is the latest good build or built now. Exits 0 on success and
non-zero with a one-line Chinese reason on bad input; the zip is written
beside the target and moved into place only when complete.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation

from portal.models import Committee
from portal.years import MAX_YEAR, MIN_YEAR
from reports import renderers
from reports.binder import BinderRefused, build_binder


class Command(BaseCommand):
    help = "Write the evidence binder (佐证材料包) of a committee and year as one zip."

    def add_arguments(self, parser):
        parser.add_argument("--committee", required=True, help="committee slug")
        parser.add_argument("--year", required=True, help="YYYY")
        parser.add_argument("--out", required=True, help="the zip to write")

    def handle(self, *args, committee: str, year: str, out: str, **options):
        c = Committee.objects.filter(slug=committee).first()
        if c is None:
            raise CommandError(f"没有标识为“{committee}”的党委。")
        if not (year.isdigit() and MIN_YEAR <= int(year) <= MAX_YEAR):
            raise CommandError(f"年份“{year}”无效，应为 {MIN_YEAR}–{MAX_YEAR} 之间的四位数字。")
        path = Path(out)
        if path.is_dir() or not path.parent.is_dir() or not os.access(path.parent, os.W_OK):
            raise CommandError(f"无法写入“{out}”：目录不存在或不可写。")
        with translation.override(renderers.LANGUAGE), timezone.override(renderers.TIME_ZONE):
            self.write(c, int(year), path)

    def write(self, committee: Committee, year: int, path: Path) -> None:
        handle, partial = tempfile.mkstemp(prefix=".binder-", suffix=".zip", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                result = build_binder(committee, year, out)
            os.replace(partial, path)
        except BinderRefused as exc:
            raise CommandError(exc.message) from None
        except OSError as exc:
            raise CommandError(f"无法写入“{path}”：{exc.strerror or exc}") from None
        finally:
            if os.path.exists(partial):
                os.unlink(partial)
        self.stdout.write(f"已写入 {path}（{filesizeformat(path.stat().st_size)}）：{result.items} 项，"
                          f"{result.records} 条记录，{result.files} 个附件；目录校验码 {result.document.display_code}")
