"""Field validators shared by the record models. They run wherever a record is
checked: the record forms, the admin, the ledger import (through each row's
``full_clean``) and history restores, so every path refuses the same values.

"Today" is ``timezone.localdate()`` when the value is checked (Asia/Shanghai),
never a date fixed when the module was loaded.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EARLIEST = datetime.date(2000, 1, 1)


def not_future(value: datetime.date | None) -> None:
    if value is not None and value > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天。"), code="future")


def plausible_date(value: datetime.date | None) -> None:
    """A day something happened: not in the future, not before 2000."""
    not_future(value)
    if value is not None and value < EARLIEST:
        raise ValidationError(_("日期不能早于 2000 年。"), code="too_early")


# Attendance and quantities: at least one (a branch session may include people
# who are not members yet, so there is no upper bound from the member list).
at_least_one = MinValueValidator(1, message=_("应至少为 1。"))
