from django.core.management.base import BaseCommand, CommandError

from portal.seal.keys import SealUnavailable, seal_replace


class Command(BaseCommand):
    help = "生成新的自签名电子签章并停用当前签章；旧证书仍保留，用它盖章的文件仍可验证。"

    def add_arguments(self, parser):
        parser.add_argument("--reason", required=True, help="更换原因，记入电子签章记录")

    def handle(self, *args, reason, **options):
        try:
            seal, row = seal_replace(actor="replace_seal", reason=reason)
        except SealUnavailable as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"已启用新的电子签章（指纹 {seal.fingerprint}）；请重新导出证书。"))
