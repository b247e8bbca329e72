from django.core.management.base import BaseCommand, CommandError

from portal.chains import CHAINS, chain_check_all


class Command(BaseCommand):
    help = "逐环核对每条审计链（责任书事件、报告构建、电子签章记录、签发文件登记等）；有断开时以非零退出并指出第一处。"

    def add_arguments(self, parser):
        parser.add_argument("--chain", action="append", choices=sorted(CHAINS), help="只核对这条链（可重复）")

    def handle(self, *args, chain=None, **options):
        chains = links = 0
        for status in chain_check_all(chain):
            if not status.intact:
                raise CommandError(status.message)
            chains += 1
            links += status.links
            if options["verbosity"] >= 2:
                self.stdout.write(status.message)
        self.stdout.write(self.style.SUCCESS(f"审计链完整：共 {chains} 条链，{links} 环。"))
