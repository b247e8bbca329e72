"""The abstract base every committee record derives from."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class LiveManager(models.Manager):
    """Hides records moved to the trash; ``all_objects`` still sees them."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Record(models.Model):
    """A row that belongs to one committee, keeps its history and can be trashed.

    Deleting never removes the row: it sets ``deleted_at`` so the office can
    restore it from the trash (nothing entered is ever lost).
    """

    committee = models.ForeignKey(
        "portal.Committee", on_delete=models.PROTECT, related_name="+", verbose_name=_("党委")
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("创建人"),
    )
    deleted_at = models.DateTimeField(_("删除时间"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("删除人"),
    )

    objects = LiveManager()
    all_objects = models.Manager()
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        base_manager_name = "all_objects"

    # Likely duplicates (portal.similar): the fields a duplicate shares exactly
    # and the text it shares nearly; none declared, none asked.
    duplicate_same: tuple[str, ...] = ()
    duplicate_text: str | None = None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def clean_m2m(self, values: dict[str, list]) -> None:
        """Rules about many-to-many values, which an unsaved record cannot hold
        yet: ``values`` maps a field name to the records it would link. Raise
        ValidationError({field: message}) like ``clean()``. Forms, the admin and
        the ledger import call it with the values they are about to save."""

    def likely_duplicates(self) -> list:
        """Live records this one probably repeats (the record forms ask before saving)."""
        from portal.similar import likely_duplicates

        return likely_duplicates(self)
