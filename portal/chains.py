"""Tamper-evident audit chains.

A chain is a sequence of rows (letter events, report builds, the seal's
history...). Each link stores its place (``chain_seq``), the previous link's
hash and ``SHA-256(previous hash + canonical JSON of its own content)``, so a
row changed, removed or moved directly in the database no longer fits. A
``ChainHead`` row keeps the count and last hash, so removing the newest links
is noticed too.

Apps register their chains here (the portal knows none of them), the way they
register record types in ``portal.registry``::

    register_chain(ChainType(
        key="responsibility.letter_events", label="责任书事件", model=LetterEvent,
        content=lambda e: model_content(e, ["letter", "kind", "at", "actor", "body_sha256"]),
        group_field="letter",            # one chain per letter
    ))

and link every new row, in the transaction that creates it::

    chain_append(chain_key="responsibility.letter_events", link=event)

``python manage.py audit_chain`` walks every registered chain;
``chain_check(key, group=...)`` gives the status of one object's chain.

The hashes are not keyed: they show an edit made without knowing about the
chain; someone who can rewrite every later link and the head with the
portal's own code is beyond what a hash chain can show.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from .models import ChainHead

GENESIS = "0" * 64


@dataclass(frozen=True)
class ChainType:
    key: str  # e.g. "portal.seal_events"
    label: str  # Chinese, named in messages
    model: type[models.Model]  # a ChainLink subclass
    content: Callable[[models.Model], dict]  # the link's canonical content
    group_field: str | None = None  # links sharing this field's value form one chain (one per object)
    describe_link: Callable[[models.Model], str] | None = None  # names a link in messages
    # The rows that are links, when only some are (a report build is linked once it is done).
    linked: Callable[[models.QuerySet], models.QuerySet] | None = None

    def name_link(self, link: models.Model) -> str:
        if self.describe_link is not None:
            return self.describe_link(link)
        return f"{self.model._meta.verbose_name} #{link.pk}"

    def group_of(self, link: models.Model) -> str:
        if self.group_field is None:
            return ""
        field = self.model._meta.get_field(self.group_field)
        return str(getattr(link, field.attname))

    def rows(self) -> models.QuerySet:
        qs = self.model._base_manager.all()
        return self.linked(qs) if self.linked is not None else qs

    def links(self, group: str = "") -> models.QuerySet:
        qs = self.rows()
        if self.group_field is not None:
            qs = qs.filter(**{self.model._meta.get_field(self.group_field).attname: group})
        return qs


CHAINS: dict[str, ChainType] = {}


def register_chain(chain: ChainType) -> None:
    CHAINS[chain.key] = chain


def chain_type(key: str) -> ChainType:
    try:
        return CHAINS[key]
    except KeyError:
        raise LookupError(f"no audit chain registered as {key!r}") from None


# -- content and hashes ----------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        # Milliseconds: a backup (dumpdata's JSON) keeps no more, and a chain
        # must still hold after a restore.
        return value.isoformat(timespec="milliseconds")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"cannot put {type(value).__name__} into an audit chain's content")


def canonical_json(content: dict) -> str:
    """One text for one content: sorted keys, no spaces, UTC times to the millisecond, UTF-8 kept."""
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_plain)


def link_hash(previous: str, content: dict) -> str:
    return hashlib.sha256((previous + "\n" + canonical_json(content)).encode("utf-8")).hexdigest()


def model_content(obj: models.Model, fields: Iterable[str]) -> dict:
    """``{field: stored value}`` for these fields (foreign keys as their ids), plus the pk."""
    content: dict[str, Any] = {"pk": obj.pk}
    for name in fields:
        field = obj._meta.get_field(name)
        content[name] = getattr(obj, field.attname)
    return content


# -- appending -------------------------------------------------------------------


def _locked_head(key: str, group: str) -> ChainHead:
    # Write first, then read: on PostgreSQL the row lock makes a concurrent
    # appender wait and then see the new head; on SQLite the write takes the
    # database's write lock before anything is read.
    for _attempt in range(2):
        if ChainHead.objects.filter(key=key, group=group).update(count=models.F("count")):
            return ChainHead.objects.select_for_update().get(key=key, group=group)
        try:
            with transaction.atomic():
                return ChainHead.objects.create(key=key, group=group, count=0, last_hash=GENESIS)
        except IntegrityError:  # created meanwhile by a concurrent first append
            continue
    return ChainHead.objects.select_for_update().get(key=key, group=group)


@transaction.atomic
def chain_append(*, chain_key: str, link: models.Model) -> models.Model:
    """Link a saved row at the end of its chain (call it in the transaction that created the row)."""
    chain = chain_type(chain_key)
    if link.pk is None:
        raise ValueError("save the row before linking it")
    # The stored values, not the in-memory ones (a Decimal's scale, a time zone).
    stored = chain.model._base_manager.get(pk=link.pk)
    if stored.chain_hash:
        raise ValueError(f"{chain.name_link(stored)} is already linked")
    head = _locked_head(chain.key, chain.group_of(stored))
    seq, previous = head.count + 1, head.last_hash or GENESIS
    digest = link_hash(previous, chain.content(stored))
    chain.model._base_manager.filter(pk=link.pk).update(chain_seq=seq, chain_previous=previous, chain_hash=digest)
    head.count, head.last_hash = seq, digest
    head.save(update_fields=["count", "last_hash", "updated_at"])
    link.chain_seq, link.chain_previous, link.chain_hash = seq, previous, digest
    return link


@transaction.atomic
def chain_backfill(*, chain_key: str) -> int:
    """Link every not-yet-linked row of the chain, oldest (pk) first; the count linked.

    For rows that existed before their model became a chain (run it once, from
    a data migration or the shell); it cannot tell an old row from a forged one.
    """
    chain = chain_type(chain_key)
    linked = 0
    for pk in chain.rows().filter(chain_hash="").order_by("pk").values_list("pk", flat=True):
        chain_append(chain_key=chain_key, link=chain.model._base_manager.get(pk=pk))
        linked += 1
    return linked


# -- checking --------------------------------------------------------------------


@dataclass(frozen=True)
class ChainStatus:
    chain: ChainType
    group: str
    links: int  # links checked
    problem: str = ""  # empty when intact (Chinese)
    broken_link: str = ""  # names the first broken link
    broken_pk: Any = None
    position: int | None = None  # 1-based place of the first broken link

    @property
    def intact(self) -> bool:
        return not self.problem

    @property
    def message(self) -> str:
        """One line for the command and the pages."""
        where = _("（对象 %(group)s）") % {"group": self.group} if self.group else ""
        if self.intact:
            return _("审计链“%(label)s”%(where)s完整，共 %(n)s 环。") % {"label": self.chain.label, "where": where, "n": self.links}
        at = _("第 %(pos)s 环（%(link)s）") % {"pos": self.position, "link": self.broken_link} if self.broken_link else _("链尾")
        return _("审计链“%(label)s”%(where)s在%(at)s断开：%(problem)s") % {
            "label": self.chain.label,
            "where": where,
            "at": at,
            "problem": self.problem,
        }


def _broken(chain, group, checked, link, position, problem) -> ChainStatus:
    return ChainStatus(
        chain=chain,
        group=group,
        links=checked,
        problem=problem,
        broken_link=chain.name_link(link) if link is not None else "",
        broken_pk=link.pk if link is not None else None,
        position=position,
    )


def chain_check(chain_key: str, group: Any = "") -> ChainStatus:
    """Walk one chain (one object's chain when the chain is grouped) and say where it breaks."""
    chain = chain_type(chain_key)
    group = "" if group is None else str(group)
    links = chain.links(group)
    unlinked = links.filter(chain_hash="").order_by("pk").first()
    if unlinked is not None:
        return _broken(chain, group, 0, unlinked, None, _("这一行不在链上（没有链哈希），可能是绕过平台直接写入数据库的"))
    previous, count = GENESIS, 0
    for link in links.order_by("chain_seq", "pk").iterator(chunk_size=1000):
        count += 1
        if link.chain_seq != count or link.chain_previous != previous:
            problem = _("它前面的记录缺失或顺序被改动（应接在上一环之后）")
            return _broken(chain, group, count - 1, link, count, problem)
        if link.chain_hash != link_hash(previous, chain.content(link)):
            return _broken(chain, group, count - 1, link, count, _("内容在入链后被改动"))
        previous = link.chain_hash
    head = ChainHead.objects.filter(key=chain.key, group=group).first()
    head_count, head_hash = (head.count, head.last_hash or GENESIS) if head else (0, GENESIS)
    if head_count > count:
        return _broken(chain, group, count, None, count + 1, _("末尾的 %(n)s 环被删除") % {"n": head_count - count})
    if head_count != count or head_hash != previous:
        return _broken(chain, group, count, None, count, _("链头记录与链不符（链头被改动或删除）"))
    return ChainStatus(chain=chain, group=group, links=count)


def chain_groups(chain: ChainType) -> list[str]:
    """Every object that has a chain: from the links and from the heads (whose links may all be gone)."""
    if chain.group_field is None:
        return [""]
    attname = chain.model._meta.get_field(chain.group_field).attname
    groups = {str(v) for v in chain.rows().values_list(attname, flat=True).distinct()}
    groups |= set(ChainHead.objects.filter(key=chain.key).values_list("group", flat=True))
    return sorted(groups, key=lambda g: (len(g), g))


def chain_check_all(keys: Iterable[str] | None = None) -> Iterator[ChainStatus]:
    """The status of every chain (every object's chain), registered order."""
    for key in keys or list(CHAINS):
        chain = chain_type(key)
        for group in chain_groups(chain):
            yield chain_check(key, group)
