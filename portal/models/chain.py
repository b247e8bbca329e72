"""Rows that form a tamper-evident audit chain (see portal.chains)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChainLink(models.Model):
    """A row linked into an audit chain: its place, the previous link's hash
    and the hash of its own canonical content plus that previous hash.

    The fields are written once, by ``portal.chains.chain_append``, in the
    transaction that creates the row.
    """

    chain_seq = models.PositiveBigIntegerField(_("链序号"), null=True, blank=True, editable=False)
    chain_previous = models.CharField(_("上一环哈希"), max_length=64, blank=True, editable=False)
    chain_hash = models.CharField(_("本环哈希"), max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True


class ChainHead(models.Model):
    """The last link of one chain (or of one object's chain): how many links it
    has and the last hash, so that deleting the newest links is noticed too.
    Appending locks this row, which keeps concurrent appends in one line."""

    key = models.CharField(_("链"), max_length=100)
    group = models.CharField(_("对象"), max_length=64, blank=True)
    count = models.PositiveBigIntegerField(_("环数"), default=0)
    last_hash = models.CharField(_("最后一环哈希"), max_length=64, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")
        constraints = [models.UniqueConstraint(fields=["key", "group"], name="uniq_chain_head")]

    def __str__(self) -> str:
        return f"{self.key}:{self.group}" if self.group else self.key
