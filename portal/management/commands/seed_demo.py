import importlib

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from portal import jobs
from portal.demo import DEMO_PASSWORD, seed_organisation
from portal.models import Person

# Each app adds its own 2020 records in <app>/demo.py: seed(org) -> None.
# reports.hierarchy_demo adds the superior committee and two sibling bureaus;
# reports.assessment.demo then publishes the province's 2020 scoring sheet over them.
APP_SEEDERS = [
    "responsibility.demo",
    "study.demo",
    "publicity.demo",
    "reports.demo",
    "reports.hierarchy_demo",
    "reports.assessment.demo",
]


class Command(BaseCommand):
    help = "加载演示单位（党委标识 demo）及其 2020 年记录，可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEMO_PASSWORD, help="演示账号的密码（默认 demo1234）")

    def handle(self, *args, password, **options):
        # The demo's workflow steps notify people as real ones do (in-app rows are kept);
        # their e-mails are demo addresses, so they are dropped instead of printed.
        backend, settings.EMAIL_BACKEND = settings.EMAIL_BACKEND, "django.core.mail.backends.dummy.EmailBackend"
        try:
            org = self._seed(password)
            jobs.wait_idle(60)  # without Redis the e-mails go from this process's job threads
        finally:
            settings.EMAIL_BACKEND = backend
        self.stdout.write(self.style.SUCCESS(f"演示单位“{org.committee.name}”已就绪（标识 {org.committee.slug}）。"))
        self.stdout.write("演示账号（密码 %s）：" % password)
        people = Person.objects.select_related("committee").filter(user__in=org.users.values())
        by_user = {person.user_id: person for person in people}
        for committee_id in sorted({p.committee_id for p in people}, key=lambda pk: pk != org.committee.pk):
            logins = sorted(login for login, user in org.users.items() if by_user[user.pk].committee_id == committee_id)
            self.stdout.write(f" {by_user[org.users[logins[0]].pk].committee.name}：")
            for login in logins:
                person = by_user[org.users[login].pk]
                self.stdout.write(f"  {login:8s} {person.name}（{person.get_role_display()}）")

    @staticmethod
    def _seed(password):
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
        return org
