"""Letter events become an audit chain (portal.chains): the chain fields, then
every event written before links into its letter's chain, oldest first.

The linking is done here on the historical models (not by
``portal.chains.chain_backfill``, which reads today's model) with the same
content and hash functions the portal appends with.
"""

from django.db import migrations, models

from portal.chains import GENESIS, link_hash
from responsibility.models.letters import LETTER_EVENTS_CHAIN, letter_event_content


def link_existing_events(apps, schema_editor):
    Event = apps.get_model("responsibility", "LetterEvent")
    Head = apps.get_model("portal", "ChainHead")
    unlinked = Event.objects.filter(chain_hash="")
    for letter_id in unlinked.order_by("letter_id").values_list("letter_id", flat=True).distinct():
        head = Head.objects.filter(key=LETTER_EVENTS_CHAIN, group=str(letter_id)).first()
        if head is None:
            head = Head(key=LETTER_EVENTS_CHAIN, group=str(letter_id), count=0, last_hash=GENESIS)
        seq, previous = head.count, head.last_hash or GENESIS
        for event in unlinked.filter(letter_id=letter_id).order_by("pk"):
            seq += 1
            digest = link_hash(previous, letter_event_content(event))
            Event.objects.filter(pk=event.pk).update(chain_seq=seq, chain_previous=previous, chain_hash=digest)
            previous = digest
        head.count, head.last_hash = seq, previous
        head.save()


def unlink_events(apps, schema_editor):
    # The chain fields go with the reversed schema change; so do the heads.
    apps.get_model("portal", "ChainHead").objects.filter(key=LETTER_EVENTS_CHAIN).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0002_seal'),
        ('responsibility', '0006_one_live_letter_per_branch_year'),
    ]

    operations = [
        migrations.AddField(
            model_name='letterevent',
            name='chain_hash',
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name='本环哈希'),
        ),
        migrations.AddField(
            model_name='letterevent',
            name='chain_previous',
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name='上一环哈希'),
        ),
        migrations.AddField(
            model_name='letterevent',
            name='chain_seq',
            field=models.PositiveBigIntegerField(blank=True, editable=False, null=True, verbose_name='链序号'),
        ),
        migrations.RunPython(link_existing_events, unlink_events),
    ]
