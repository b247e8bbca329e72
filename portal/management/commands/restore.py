from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "把 backup 命令生成的备份恢复到一个新建、已迁移的空数据库。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="backup 命令生成的 zip 文件")

    def handle(self, *args, file, **options):
        try:
            manifest = backup_restore(source=Path(file))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(self.style.SUCCESS(f"已恢复 {rows} 行数据（备份时间 {manifest['created_at']}）"))
