"""Audit chains: a row edited, removed, reordered or slipped in directly in the
database is found, named and located; ``audit_chain`` exits non-zero on it."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from portal.chains import (
    CHAINS,
    GENESIS,
    ChainType,
    canonical_json,
    chain_append,
    chain_backfill,
    chain_check,
    link_hash,
    model_content,
    register_chain,
)
from portal.models import ChainHead, IssuedDocument, SealEvent
from portal.seal.issuing import REGISTER_CHAIN
from portal.seal.keys import EVENT_CHAIN, seal_replace
from tests.conftest import service_required

from .helpers import issue_memo


def test_canonical_json_is_one_text_per_content():
    shanghai = datetime.timezone(datetime.timedelta(hours=8))
    a = {"b": 1, "a": "意识形态", "at": datetime.datetime(2020, 1, 1, 8, 0, tzinfo=shanghai), "n": Decimal("1.50")}
    b = {"n": Decimal("1.50"), "at": datetime.datetime(2020, 1, 1, 0, 0, tzinfo=datetime.UTC), "a": "意识形态", "b": 1}
    assert canonical_json(a) == canonical_json(b) == (
        '{"a":"意识形态","at":"2020-01-01T00:00:00.000+00:00","b":1,"n":"1.50"}'
    )
    assert link_hash(GENESIS, a) == link_hash(GENESIS, b) != link_hash("1" * 64, a)
    with pytest.raises(TypeError):
        canonical_json({"x": object()})
    # dumpdata keeps milliseconds only: a chain must hold after a backup and restore.
    precise = datetime.datetime(2020, 1, 1, 0, 0, 0, 123456, tzinfo=datetime.UTC)
    assert canonical_json({"at": precise}) == canonical_json({"at": precise.replace(microsecond=123000)})


@pytest.fixture
def register(db, memos):
    """Three issued files: the register's chain has three links."""
    return [issue_memo(str(i))[0] for i in range(1, 4)]


def test_an_untouched_chain_is_intact(register):
    status = chain_check(REGISTER_CHAIN)
    assert status.intact and status.links == 3
    assert "完整，共 3 环" in status.message
    assert chain_check(EVENT_CHAIN).intact


def test_content_changed_in_the_database_is_found(register):
    IssuedDocument.objects.filter(pk=register[1].pk).update(issued_to="别人")
    status = chain_check(REGISTER_CHAIN)
    assert not status.intact and status.position == 2 and status.broken_pk == register[1].pk
    assert "签发文件登记" in status.message and register[1].display_code in status.message
    assert "内容在入链后被改动" in status.message


def test_a_link_removed_from_the_middle_is_found(register):
    IssuedDocument.objects.filter(pk=register[1].pk).delete()
    status = chain_check(REGISTER_CHAIN)
    assert status.position == 2 and status.broken_pk == register[2].pk
    assert "缺失或顺序被改动" in status.message


def test_the_newest_link_removed_is_found(register):
    IssuedDocument.objects.filter(pk=register[2].pk).delete()
    status = chain_check(REGISTER_CHAIN)
    assert not status.intact and "末尾的 1 环被删除" in status.message


def test_links_reordered_are_found(register):
    first, second = register[0], register[1]
    IssuedDocument.objects.filter(pk=first.pk).update(chain_seq=2)
    IssuedDocument.objects.filter(pk=second.pk).update(chain_seq=1)
    status = chain_check(REGISTER_CHAIN)
    assert status.position == 1 and "顺序" in status.message


def test_a_row_slipped_in_without_a_link_is_found(register):
    forged = IssuedDocument.objects.create(code="FORGED000000", kind="tests.memo", object_id="x", description="伪造")
    status = chain_check(REGISTER_CHAIN)
    assert status.broken_pk == forged.pk and "不在链上" in status.message


def test_the_head_changed_is_found(register):
    ChainHead.objects.filter(key=REGISTER_CHAIN).update(last_hash="f" * 64)
    assert "链头" in chain_check(REGISTER_CHAIN).message


def test_the_seal_history_is_a_chain_too(register):
    seal_replace(reason="测试")
    assert chain_check(EVENT_CHAIN).intact and chain_check(EVENT_CHAIN).links == 3
    SealEvent.objects.filter(kind=SealEvent.Kind.REPLACED).update(note="没有更换过")
    status = chain_check(EVENT_CHAIN)
    assert status.position == 2 and "电子签章记录" in status.message


def test_audit_chain_command_passes_and_names_the_first_broken_link(register, capsys):
    call_command("audit_chain")
    assert "审计链完整" in capsys.readouterr().out
    IssuedDocument.objects.filter(pk=register[0].pk).update(sha256="0" * 64)
    with pytest.raises(CommandError) as failure:
        call_command("audit_chain")
    message = str(failure.value)
    assert "签发文件登记" in message and f"IssuedDocument #{register[0].pk}" in message and "内容在入链后被改动" in message
    assert "\n" not in message


# -- chains per object, backfill, concurrency -------------------------------------------

GROUPED = "tests.issued_by_kind"


@pytest.fixture
def grouped():
    """A chain per object: the register's rows of each kind (a stand-in for one letter's events)."""
    register_chain(
        ChainType(
            key=GROUPED,
            label="按类型",
            model=IssuedDocument,
            content=lambda d: model_content(d, ["code", "kind", "description"]),
            group_field="kind",
        )
    )
    yield GROUPED
    CHAINS.pop(GROUPED)


def make_row(kind: str, n: int, link: bool = True) -> IssuedDocument:
    row = IssuedDocument.objects.create(code=f"ROW{kind[:3].upper()}{n:06d}"[:12], kind=kind, object_id=str(n), description=f"{kind} {n}")
    if link:
        chain_append(chain_key=GROUPED, link=row)
    return row


@pytest.mark.django_db
def test_each_object_has_its_own_chain(grouped):
    a = [make_row("aaa", i) for i in range(3)]
    b = [make_row("bbb", i) for i in range(2)]
    assert chain_check(grouped, "aaa").links == 3 and chain_check(grouped, "bbb").links == 2
    IssuedDocument.objects.filter(pk=a[1].pk).update(description="改过")
    assert not chain_check(grouped, "aaa").intact and chain_check(grouped, "bbb").intact
    assert "（对象 aaa）" in chain_check(grouped, "aaa").message
    assert b[0].chain_previous == GENESIS


@pytest.mark.django_db
def test_an_object_whose_links_were_all_removed_is_found(grouped):
    make_row("aaa", 1)
    IssuedDocument.objects.filter(kind="aaa").delete()
    with pytest.raises(CommandError, match="末尾的 1 环被删除"):
        call_command("audit_chain", chain=[grouped])


@pytest.mark.django_db
def test_backfill_links_rows_made_before_the_chain(grouped):
    rows = [make_row("old", i, link=False) for i in range(3)]
    assert not chain_check(grouped, "old").intact
    assert chain_backfill(chain_key=grouped) == 3
    assert chain_check(grouped, "old").intact
    with pytest.raises(ValueError, match="already linked"):
        chain_append(chain_key=grouped, link=rows[0])


def test_concurrent_appends_stay_in_one_line(transactional_db, grouped):
    if connection.vendor != "postgresql":
        service_required("PostgreSQL")
    barrier = threading.Barrier(4)
    errors = []

    def append(n):
        try:
            barrier.wait(10)
            from django.db import transaction

            with transaction.atomic():
                make_row("par", n)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    status = chain_check(grouped, "par")
    assert status.intact and status.links == 4
