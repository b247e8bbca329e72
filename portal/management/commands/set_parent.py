from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from portal.models import Committee
from portal.services import committee_set_parent


class Command(BaseCommand):
    help = "设置党委的上级党委（--parent \"\" 解除），拒绝把党委设为自己或下级党委的下级。"

    def add_arguments(self, parser):
        parser.add_argument("--committee", required=True, help="党委标识")
        parser.add_argument("--parent", required=True, help="上级党委的标识；空字符串表示解除上级党委")

    def handle(self, *args, committee, parent, **options):
        child = _committee(committee)
        superior = _committee(parent) if parent else None
        try:
            committee_set_parent(committee=child, parent=superior)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if superior is None:
            self.stdout.write(f"已解除{child.name}的上级党委。")
        else:
            self.stdout.write(f"{child.name}的上级党委已设为{superior.name}。")


def _committee(slug: str) -> Committee:
    found = Committee.objects.filter(slug=slug).first()
    if found is None:
        raise CommandError(f"没有标识为“{slug}”的党委。")
    return found
