"""The filters of the record lists (django-filter).

Every list's FilterSet derives from :class:`RecordFilterSet`, which adds what
all lists share: a keyword search over ``search_fields``, a date range on the
record type's date field, sorting by the list's columns (only those), and
``figure=<key>``, the records behind one figure of the report. A value that
does not parse (``?branch=abc``) is ignored, never an error page.
"""

from __future__ import annotations

from typing import ClassVar

import django_filters as df
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from . import figures
from .access import scope
from .forms import DateInput
from .models import Branch
from .years import selected_year


class YesNoFilter(df.ChoiceFilter):
    """A boolean field offered as 全部 / 是 / 否 (``1`` / ``0`` in the URL)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, choices=[("1", _("是")), ("0", _("否"))], **kwargs)

    def filter(self, qs, value):
        if value in ("1", "0"):
            return qs.filter(**{self.field_name: value == "1"})
        return qs


def _branches(request) -> QuerySet:
    actor = request.actor
    branches = scope(actor, Branch.objects.all(), branch_field=None)
    if actor.is_branch_secretary:  # their rows are already limited: offer only what they see
        branches = branches.filter(pk=actor.branch.pk)
    return branches


def branch_filter(label=_("支部"), field_name: str = "branch", null: bool = True) -> df.ModelChoiceFilter:
    """The branches the user sees; ``none`` picks the committee-level rows."""
    extra = {"null_label": _("（无）"), "null_value": "none"} if null else {}
    return df.ModelChoiceFilter(field_name=field_name, label=label, queryset=_branches, **extra)


class SortFilter(df.OrderingFilter):
    """Sorts by one column; the list's usual order breaks ties, so pages are stable."""

    def __init__(self, *args, tie_breakers: tuple[str, ...] = (), **kwargs):
        self.tie_breakers = tie_breakers
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = [self.get_ordering_value(param) for param in value if param]
        return qs.order_by(*ordering, *[key for key in self.tie_breakers if key.lstrip("-") not in ordering])


class RecordFilterSet(df.FilterSet):
    search_fields: ClassVar[tuple[str, ...]] = ()

    q = df.CharFilter(method="search", label=_("搜索"), widget=forms.TextInput(attrs={"type": "search"}))
    date_from = df.DateFilter(method="date_range", label=_("起始日期"), widget=DateInput)
    date_to = df.DateFilter(method="date_range", label=_("截止日期"), widget=DateInput)
    figure = df.CharFilter(method="by_figure", widget=forms.HiddenInput)

    # Filters every list has; the others are the "select" filters of the form.
    COMMON = ("q", "date_from", "date_to", "figure", "sort")

    def __init__(self, data=None, queryset=None, *, request=None, record_type=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.record_type = record_type
        if record_type is None or not record_type.date_field:
            self.filters.pop("date_from")
            self.filters.pop("date_to")
        if record_type is not None:
            columns = [(c.sort_key, c.field) for c in record_type.columns if c.sort_key]
            if columns:
                sort = SortFilter(fields=columns, tie_breakers=record_type.ordering, widget=forms.HiddenInput)
                sort.model, sort.parent = self.queryset.model, self
                self.filters["sort"] = sort
        for name, filter_ in self.filters.items():
            if isinstance(filter_, df.ChoiceFilter) and name not in self.COMMON:
                filter_.extra["empty_label"] = _("全部")

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()[:100]
        if not value or not self.search_fields:
            return qs
        cond = Q()
        for field_name in self.search_fields:
            cond |= Q(**{f"{field_name}__icontains": value})
        qs = qs.filter(cond)
        return qs.distinct() if any("__" in f for f in self.search_fields) else qs

    def date_range(self, qs: QuerySet, name: str, value) -> QuerySet:
        lookup = "gte" if name == "date_from" else "lte"
        return qs.filter(**{f"{self.record_type.date_field}__{lookup}": value})

    def by_figure(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        """The records behind one report figure, within what the user sees; an unknown
        key or a figure of another list shows nothing."""
        return figures.restrict(qs, value, self.request.actor.committee, selected_year(self.request))

    @property
    def select_fields(self) -> list:
        """The bound fields shown as drop-downs in the filter bar."""
        return [self.form[name] for name in self.filters if name not in self.COMMON]

    @property
    def sorted_by(self) -> str:
        if "sort" not in self.filters or not self.form.is_valid():
            return ""
        value = self.form.cleaned_data.get("sort") or []
        return value[0] if value else ""
