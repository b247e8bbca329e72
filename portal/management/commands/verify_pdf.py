from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from portal.seal.verify import verify_pdf_bytes


class Command(BaseCommand):
    help = "验证一个 PDF 是否为本平台签发、盖章后未被改动的原件：是则输出一行说明并以 0 退出。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="要验证的 PDF 文件")

    def handle(self, *args, file, **options):
        path = Path(file)
        try:
            size = path.stat().st_size
            if not path.is_file():
                raise CommandError(f"不是文件：{file}")
            if size > settings.VERIFY_MAX_BYTES:
                raise CommandError(
                    f"文件太大（{filesizeformat(size)}，上限 {filesizeformat(settings.VERIFY_MAX_BYTES)}），不是本平台签发的文件。"
                )
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取 {file}：{exc.strerror or exc}") from None
        verdict = verify_pdf_bytes(data)
        if not verdict.accepted:
            raise CommandError(verdict.reason)
        self.stdout.write(verdict.line())
