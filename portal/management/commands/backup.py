from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "把数据库（JSON）和上传的文件备份到一个 zip 文件。"

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="备份文件路径，如 backup-2021-01-05.zip")

    def handle(self, *args, out, **options):
        try:
            manifest = backup_create(out=Path(out))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(self.style.SUCCESS(f"已备份 {rows} 行数据到 {out}"))
