import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.seal.keys import SealUnavailable, current_seal, installation_certificates


class Command(BaseCommand):
    help = "导出本平台电子签章的公开证书（PEM），供他人在 PDF 阅读器中信任；首次使用时生成签章。"

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="证书文件路径，如 seal.pem")
        parser.add_argument("--all", action="store_true", dest="include_all", help="也导出更换前用过的证书（验证旧文件需要）")

    def handle(self, *args, out, include_all, **options):
        try:
            seal, row = current_seal(actor="export_seal_certificate")
        except SealUnavailable as exc:
            raise CommandError(str(exc)) from None
        pems = [seal.certificate_pem]
        if include_all:
            pems += [r.certificate_pem for r in installation_certificates() if r.fingerprint != seal.fingerprint]
        target = Path(out)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".partial")
            partial.write_text("".join(pems), encoding="ascii")
            os.replace(partial, target)
        except OSError as exc:
            raise CommandError(f"无法写入 {out}：{exc.strerror or exc}") from None
        self.stdout.write(self.style.SUCCESS(f"已导出 {len(pems)} 个签章证书到 {out}（当前证书指纹 {seal.fingerprint}）"))
