"""Cell parsing for ledger workbooks: each parser takes the raw cell value (and
its number format) and returns a Python value or raises :class:`CellError`
with a Chinese reason. Formats are those of ledger-format.md."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_INT = 2_147_483_647  # PositiveIntegerField on PostgreSQL
YES, NO = "是", "否"


class CellError(ValueError):
    """A cell that cannot be read; ``str(exc)`` is the reason shown to the user."""


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def text(value) -> str:
    """Any cell as stripped text; whole numbers lose their ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _checked_date(year: int, month: int, day: int) -> datetime.date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CellError(_("年份 %(year)s 超出范围（%(low)s–%(high)s）") % {"year": year, "low": MIN_YEAR, "high": MAX_YEAR})
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError(_("日期不存在")) from None


_DATE_RE = re.compile(r"^(\d{4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?)$")
_MONTH_RE = re.compile(r"^(\d{4})\s*(?:[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月?)$")


def date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return _checked_date(value.year, value.month, value.day)
    if isinstance(value, datetime.date):
        return _checked_date(value.year, value.month, value.day)
    if isinstance(value, str):
        match = _DATE_RE.match(value.strip())
        if match:
            year, m1, d1, m2, d2 = match.groups()
            return _checked_date(int(year), int(m1 or m2), int(d1 or d2))
    raise CellError(_("日期格式无效，应为日期单元格或 YYYY-MM-DD"))


def month(value) -> datetime.date:
    """The first day of the month; a full date is accepted and its month used."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return _checked_date(value.year, value.month, 1)
    if isinstance(value, str):
        stripped = value.strip()
        match = _MONTH_RE.match(stripped)
        if match:
            year, m1, m2 = match.groups()
            number = int(m1 or m2)
            if not 1 <= number <= 12:
                raise CellError(_("月份应在 1–12 之间"))
            return _checked_date(int(year), number, 1)
        try:
            return date(stripped).replace(day=1)
        except CellError:
            pass
    raise CellError(_("月份格式无效，应为日期单元格或 YYYY-MM"))


def yes_no(value) -> bool:
    if is_blank(value):
        return False
    if isinstance(value, bool):
        return value
    stripped = str(value).strip()
    if stripped == YES:
        return True
    if stripped == NO:
        return False
    raise CellError(_("应填“是”或“否”，而不是“%(value)s”") % {"value": stripped})


def _number(value) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("应为数字"))
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    try:
        result = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise CellError(_("“%(value)s”不是数字") % {"value": text(value)}) from None
    if not result.is_finite():
        raise CellError(_("“%(value)s”不是数字") % {"value": text(value)})
    return result


def integer(value, *, low: int = 0, high: int = MAX_INT) -> int:
    number = _number(value)
    if number != number.to_integral_value():
        raise CellError(_("应为整数"))
    result = int(number)
    if not low <= result <= high:
        raise CellError(_("应在 %(low)s–%(high)s 之间") % {"low": low, "high": high})
    return result


def year(value) -> int:
    return integer(value, low=2000, high=2100)


def quarter(value) -> int:
    stripped = text(value)
    match = re.fullmatch(r"(?:第\s*)?([1-4一二三四])\s*(?:季度)?", stripped)
    if not match:
        raise CellError(_("季度应为 1–4"))
    return "1234一二三四".index(match.group(1)) % 4 + 1


def decimal(value, *, places: int = 2, low: Decimal = Decimal(0), high: Decimal = Decimal("9999.99")) -> Decimal:
    number = _number(value)
    if not low <= number <= high:
        raise CellError(_("应在 %(low)s–%(high)s 之间") % {"low": low, "high": high})
    return number.quantize(Decimal(1).scaleb(-places))


def rate(value, number_format: str | None = None) -> Decimal:
    """An activity rate in percent: ``98``, ``98%`` or ``0.98`` all mean 98 %.

    A cell formatted as a percentage holds the fraction; a bare number up to 1
    is read as a fraction too (a rate of 1 % or less is not plausible), above 1
    as percent.
    """
    if isinstance(value, str) and value.strip().endswith(("%", "％")):
        number = _number(value.strip()[:-1])
    else:
        number = _number(value)
        if (number_format and "%" in number_format) or number <= 1:
            number = number * 100
    if not Decimal(0) <= number <= Decimal(100):
        raise CellError(_("活跃率应在 0–100% 之间"))
    return number.quantize(Decimal("0.01"))


def choice(value, labels: dict[str, str]) -> str:
    """The stored value of a TextChoices label (``labels`` maps label → value)."""
    stripped = text(value)
    if stripped in labels:
        return labels[stripped]
    raise CellError(_("“%(value)s”不是可选值（%(choices)s）") % {"value": stripped, "choices": " / ".join(labels)})


def names(value) -> tuple[str, ...]:
    """Branch names joined by 、 (also ， , ; accepted), in the given order, no repeats."""
    parts = [part.strip() for part in re.split(r"[、，,;；]", text(value))]
    seen: list[str] = []
    for part in parts:
        if part and part not in seen:
            seen.append(part)
    return tuple(seen)
