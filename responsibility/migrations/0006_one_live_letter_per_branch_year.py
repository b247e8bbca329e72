"""One live letter per branch and year (a database rule). Letters that break it
in an existing database are set right first: extra drafts go to the trash,
extra issued or signed letters are revoked with a reason (both stay on record)."""

from django.db import migrations, models
from django.db.models import Count
from django.utils import timezone

REASON = "系统升级：同一支部同一年度存在多份有效责任书，保留最早的一份，其余自动撤销"


def settle_duplicates(apps, schema_editor):
    Letter = apps.get_model("responsibility", "ResponsibilityLetter")
    Event = apps.get_model("responsibility", "LetterEvent")
    live = Letter.objects.filter(deleted_at__isnull=True).exclude(status="revoked")
    clashes = live.values("committee_id", "branch_id", "year").annotate(n=Count("id")).filter(n__gt=1)
    now = timezone.now()
    for key in clashes:
        group = list(live.filter(committee_id=key["committee_id"], branch_id=key["branch_id"], year=key["year"]).order_by("id"))
        # Keep the most advanced letter (complete before signed before issued before draft), the oldest among equals.
        rank = {"complete": 0, "signed": 1, "issued": 2, "draft": 3}
        group.sort(key=lambda letter: (rank.get(letter.status, 9), letter.pk))
        for letter in group[1:]:
            if letter.status == "draft":
                Letter.objects.filter(pk=letter.pk).update(deleted_at=now)
            else:
                Letter.objects.filter(pk=letter.pk).update(status="revoked", revoked_at=now, revoke_reason=REASON)
                Event.objects.create(letter_id=letter.pk, kind="revoked", actor=None, actor_name="系统", at=now, detail=REASON)
    if schema_editor is not None and schema_editor.connection.vendor == "postgresql":
        # The unique index below cannot be built while row checks are still deferred.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):

    dependencies = [
        ('responsibility', '0005_assignment_signing_branch'),
    ]

    operations = [
        migrations.RunPython(settle_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='responsibilityletter',
            constraint=models.UniqueConstraint(condition=models.Q(('deleted_at__isnull', True), models.Q(('status', 'revoked'), _negated=True)), fields=('committee', 'branch', 'year'), name='uniq_live_letter', violation_error_message='该支部本年度已有有效的责任书；如需更正，请撤销后生成新版本。'),
        ),
    ]
