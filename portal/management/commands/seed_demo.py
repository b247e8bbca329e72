import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

from portal.demo import DEMO_PASSWORD, seed_organisation

# Each app adds its own 2020 records in <app>/demo.py: seed(org) -> None.
APP_SEEDERS = ["responsibility.demo", "study.demo", "publicity.demo", "reports.demo", "reports.assessment.demo"]


class Command(BaseCommand):
    help = "加载演示单位（党委标识 demo）及其 2020 年记录，可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEMO_PASSWORD, help="演示账号的密码（默认 demo1234）")

    def handle(self, *args, password, **options):
        with transaction.atomic():
            org = seed_organisation(password=password)
            for module_name in APP_SEEDERS:
                try:
                    module = importlib.import_module(module_name)
                except ModuleNotFoundError as exc:
                    if exc.name != module_name:
                        raise
                    continue
                module.seed(org)
        self.stdout.write(self.style.SUCCESS(f"演示单位“{org.committee.name}”已就绪（标识 {org.committee.slug}）。"))
        self.stdout.write("演示账号（密码 %s）：" % password)
        for login in sorted(org.users):
            person = next(p for p in org.people.values() if p.user_id == org.users[login].pk)
            self.stdout.write(f"  {login:8s} {person.name}（{person.get_role_display()}）")
