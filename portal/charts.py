"""Small SVG charts drawn on the server, so the same markup shows in the page
and in WeasyPrint's PDF (no JavaScript, no inline styles for the CSP)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

FONT = "Noto Sans CJK SC, sans-serif"
PALETTE = ["#c62828", "#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#5d4037"]


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float]


def _num(value) -> float:
    return float(value) if isinstance(value, (int, float, Decimal)) else 0.0


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def bar_chart(
    labels: list[str],
    series: list[Series],
    *,
    title: str,
    width: int = 640,
    height: int = 260,
    max_value: float | None = None,
    stacked: bool = False,
) -> str:
    """Vertical bars, one group per label (stacked when asked), with a legend."""
    left, right, top, bottom = 40, 10, 30, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    if stacked:
        totals = [sum(_num(s.values[i]) for s in series) for i in range(len(labels))]
    else:
        totals = [_num(v) for s in series for v in s.values]
    top_value = max_value or max(totals + [1.0])
    group_w = plot_w / max(len(labels), 1)
    bar_w = group_w * 0.7 / (1 if stacked else max(len(series), 1))
    parts = _frame(width, height, title, left, top, plot_w, plot_h, top_value)
    for i, label in enumerate(labels):
        x0 = left + i * group_w + group_w * 0.15
        base = top + plot_h
        for j, s in enumerate(series):
            value = _num(s.values[i])
            h = plot_h * value / top_value if top_value else 0
            x = x0 if stacked else x0 + j * bar_w
            y = base - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{PALETTE[j % len(PALETTE)]}">'
                f"<title>{escape(label)} {escape(s.name)}：{_fmt(value)}</title></rect>"
            )
            if value and not stacked:
                parts.append(_text(x + bar_w / 2, y - 2, _fmt(value), size=9, anchor="middle"))
            if stacked:
                base = y
        if stacked and totals[i]:
            parts.append(_text(x0 + bar_w / 2, base - 2, _fmt(totals[i]), size=9, anchor="middle"))
        parts.append(_text(left + (i + 0.5) * group_w, top + plot_h + 14, label, size=10, anchor="middle"))
    parts.extend(_legend(series, left, height - 12))
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    labels: list[str],
    series: list[Series],
    *,
    title: str,
    width: int = 640,
    height: int = 240,
    min_value: float = 0,
    max_value: float | None = None,
) -> str:
    """Lines with dots, one point per label; missing values (None) break nothing."""
    left, right, top, bottom = 40, 10, 30, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [_num(v) for s in series for v in s.values if v is not None]
    top_value = max_value or max(values + [1.0])
    span = (top_value - min_value) or 1
    step = plot_w / max(len(labels), 1)
    parts = _frame(width, height, title, left, top, plot_w, plot_h, top_value, min_value)
    for j, s in enumerate(series):
        color = PALETTE[j % len(PALETTE)]
        points = []
        for i, v in enumerate(s.values):
            if v is None:
                continue
            x = left + (i + 0.5) * step
            y = top + plot_h - plot_h * (_num(v) - min_value) / span
            points.append((x, y, _num(v), labels[i]))
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _v, _l in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
        for x, y, v, label in points:
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"><title>{escape(label)} {escape(s.name)}：{_fmt(v)}</title></circle>'
            )
            parts.append(_text(x, y - 5, _fmt(v), size=9, anchor="middle"))
    for i, label in enumerate(labels):
        parts.append(_text(left + (i + 0.5) * step, top + plot_h + 14, label, size=10, anchor="middle"))
    parts.extend(_legend(series, left, height - 12))
    parts.append("</svg>")
    return "".join(parts)


def _frame(width, height, title, left, top, plot_w, plot_h, top_value, min_value=0) -> list[str]:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" font-family="{FONT}">',
        f"<title>{escape(title)}</title>",
        _text(width / 2, 16, title, size=13, anchor="middle"),
    ]
    for k in range(5):
        value = min_value + (top_value - min_value) * k / 4
        y = top + plot_h - plot_h * k / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#ddd" stroke-width="1"/>')
        parts.append(_text(left - 4, y + 3, _fmt(value), size=9, anchor="end"))
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#333" stroke-width="1"/>')
    return parts


def _legend(series: list[Series], x: float, y: float) -> list[str]:
    parts = []
    if len(series) < 2:
        return parts
    for j, s in enumerate(series):
        parts.append(f'<rect x="{x:.1f}" y="{y - 8:.1f}" width="10" height="10" fill="{PALETTE[j % len(PALETTE)]}"/>')
        parts.append(_text(x + 14, y + 1, s.name, size=10))
        x += 20 + 11 * len(s.name)
    return parts


def _text(x: float, y: float, text: str, *, size: int, anchor: str = "start") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="#333">{escape(str(text))}</text>'
