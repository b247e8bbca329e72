"""Issue 12 #4: letter events form a tamper-evident audit chain, one per letter."""

import importlib

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from portal.chains import chain_check
from portal.models import ChainHead
from responsibility import services
from responsibility.models import LETTER_EVENTS_CHAIN, LetterEvent


TABLE = LetterEvent._meta.db_table


def detail_html(client, letter) -> str:
    return client.get(reverse("responsibility:letter_detail", args=[letter.pk])).content.decode()


def raw(sql: str, params: list) -> None:
    """A change made directly in the database, past every portal check."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def revoked(complete, actors):
    services.letter_viewed(actor=actors.sec, letter=complete)
    services.letter_downloaded(actor=actors.office, letter=complete)
    return services.letter_revoke(actor=actors.office, letter=complete, reason="职责调整")


def test_every_event_the_services_write_is_linked(revoked, actors):
    new = services.letter_new_version(actor=actors.office, letter=revoked)
    for letter in (revoked, new):
        events = list(LetterEvent.objects.filter(letter=letter).order_by("pk"))
        assert events and all(e.chain_hash for e in events)
        assert [e.chain_seq for e in events] == list(range(1, len(events) + 1))
        status = chain_check(LETTER_EVENTS_CHAIN, letter.pk)
        assert status.intact and status.links == len(events)
    kinds = list(revoked.events.order_by("chain_seq").values_list("kind", flat=True))
    assert kinds == ["created", "issued", "signed", "countersigned", "viewed", "downloaded", "revoked"]


def test_the_letter_page_says_the_chain_is_intact(world, client_for, complete):
    html = detail_html(client_for(world.office), complete)
    assert "审计链完整" in html and "审计链断开" not in html


def test_an_event_edited_in_the_database_breaks_the_chain(world, client_for, complete):
    signed = complete.events.get(kind="signed")
    raw(f"UPDATE {TABLE} SET detail = %s WHERE id = %s", ["SHA-256 " + "0" * 64, signed.pk])
    status = chain_check(LETTER_EVENTS_CHAIN, complete.pk)
    assert not status.intact and status.broken_pk == signed.pk and status.position == signed.chain_seq
    assert "内容在入链后被改动" in status.message
    with pytest.raises(CommandError, match=f"#{signed.pk}"):
        call_command("audit_chain", chain=[LETTER_EVENTS_CHAIN])
    html = detail_html(client_for(world.office), complete)
    assert "审计链断开" in html and "审计链完整" not in html and f"#{signed.pk}" in html


def test_the_actor_name_is_part_of_what_the_chain_protects(complete):
    event = complete.events.get(kind="countersigned")
    raw(f"UPDATE {TABLE} SET actor_name = %s WHERE id = %s", ["孙丽", event.pk])
    assert chain_check(LETTER_EVENTS_CHAIN, complete.pk).broken_pk == event.pk


def test_the_newest_event_deleted_breaks_the_chain(world, client_for, complete):
    newest = complete.events.order_by("-chain_seq").first()
    raw(f"DELETE FROM {TABLE} WHERE id = %s", [newest.pk])
    status = chain_check(LETTER_EVENTS_CHAIN, complete.pk)
    assert not status.intact and "末尾的 1 环被删除" in status.message
    with pytest.raises(CommandError, match="末尾的 1 环被删除"):
        call_command("audit_chain")
    # Viewing the page appends a new event: it does not paper over the gap.
    html = detail_html(client_for(world.office), complete)
    assert "审计链断开" in html and "审计链完整" not in html


def test_an_event_inserted_in_the_database_is_not_on_the_chain(complete):
    raw(
        f"INSERT INTO {TABLE} (letter_id, kind, actor_name, at, detail, chain_previous, chain_hash) "
        "VALUES (%s, 'viewed', '孙丽', CURRENT_TIMESTAMP, '', '', '')",
        [complete.pk],
    )
    status = chain_check(LETTER_EVENTS_CHAIN, complete.pk)
    assert not status.intact and "不在链上" in status.message


def test_audit_chain_covers_the_letters(complete, issued, capsys):
    call_command("audit_chain", chain=[LETTER_EVENTS_CHAIN], verbosity=2)
    out = capsys.readouterr().out
    assert f"（对象 {complete.pk}）完整" in out and "审计链完整" in out


def test_the_migration_links_the_events_written_before_the_chain(complete, actors):
    other = services.letter_create(actor=actors.office, branch=complete.branch, year=2021)
    # As they were before the chain: no chain fields, no heads.
    LetterEvent.objects.update(chain_seq=None, chain_previous="", chain_hash="")
    ChainHead.objects.filter(key=LETTER_EVENTS_CHAIN).delete()
    assert not chain_check(LETTER_EVENTS_CHAIN, complete.pk).intact
    migration = importlib.import_module("responsibility.migrations.0007_letter_event_chain")
    migration.link_existing_events(apps, None)
    for letter in (complete, other):
        status = chain_check(LETTER_EVENTS_CHAIN, letter.pk)
        assert status.intact and status.links == letter.events.count()
    # New events continue the backfilled chains.
    services.letter_downloaded(actor=actors.office, letter=complete)
    assert chain_check(LETTER_EVENTS_CHAIN, complete.pk).intact
    migration.link_existing_events(apps, None)  # nothing left to link: a second run changes nothing
    assert chain_check(LETTER_EVENTS_CHAIN, complete.pk).links == complete.events.count()
