"""Small SVG charts drawn on the server, so the same markup shows in the page
and in WeasyPrint's PDF (no JavaScript, no inline styles for the CSP); and the
same SVG as a PNG for a Word document (:func:`svg_png`), which cannot show SVG.

Counts are whole numbers, so the value axis ticks at whole numbers (a "nice"
step of 1, 2 or 5 times a power of ten). The title, when drawn inside, has a
band of its own above the plot and the value labels, so they never overlap.
"""

from __future__ import annotations

import functools
import io
import math
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from xml.etree import ElementTree

FONT = "Noto Sans CJK SC, sans-serif"
FONT_FAMILY = "Noto Sans CJK SC"  # the face svg_png draws with (found through fontconfig)
PALETTE = ["#c62828", "#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#5d4037"]
TITLE_BAND = 24  # px above the plot for a title drawn inside
LABEL_BAND = 14  # px above the plot's top for the value labels of the highest bars and points
MAX_TICKS = 5


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float]


def _num(value) -> float:
    return float(value) if isinstance(value, (int, float, Decimal)) else 0.0


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def nice_ticks(top_value: float, min_value: float = 0, max_ticks: int = MAX_TICKS) -> list[int]:
    """Whole-number ticks from ``min_value`` up to at least ``top_value``, at most
    ``max_ticks`` intervals, with a step of 1, 2 or 5 times a power of ten."""
    low = math.floor(min_value)
    span = max(math.ceil(top_value) - low, 1)
    magnitude = 10 ** max(math.floor(math.log10(span / max_ticks)), 0) if span > max_ticks else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if span <= m * magnitude * max_ticks)
    return list(range(low, low + step * math.ceil(span / step) + 1, step))


@dataclass(frozen=True)
class _Frame:
    width: int
    height: int
    left: int
    top: int
    plot_w: float
    plot_h: float
    ticks: list[int]

    def y(self, value: float) -> float:
        low, high = self.ticks[0], self.ticks[-1]
        return self.top + self.plot_h - self.plot_h * (value - low) / ((high - low) or 1)


def _frame(width, height, title, show_title, top_value, min_value=0) -> tuple[_Frame, list[str]]:
    left, right, bottom = 40, 10, 40
    top = (TITLE_BAND if show_title else 0) + LABEL_BAND
    frame = _Frame(width, height, left, top, width - left - right, height - top - bottom, nice_ticks(top_value, min_value))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" font-family="{FONT}">',
        f"<title>{escape(title)}</title>",
    ]
    if show_title:
        parts.append(_text(width / 2, 17, title, size=13, anchor="middle"))
    for tick in frame.ticks:
        y = frame.y(tick)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + frame.plot_w}" y2="{y:.1f}" stroke="#ddd" stroke-width="1"/>')
        parts.append(_text(left - 4, y + 3, str(tick), size=9, anchor="end"))
    base = top + frame.plot_h
    parts.append(f'<line x1="{left}" y1="{base}" x2="{left + frame.plot_w}" y2="{base}" stroke="#333" stroke-width="1"/>')
    return frame, parts


def bar_chart(
    labels: list[str],
    series: list[Series],
    *,
    title: str,
    width: int = 640,
    height: int = 260,
    max_value: float | None = None,
    stacked: bool = False,
    show_title: bool = True,
) -> str:
    """Vertical bars, one group per label (stacked when asked), with a legend."""
    if stacked:
        totals = [sum(_num(s.values[i]) for s in series) for i in range(len(labels))]
    else:
        totals = [_num(v) for s in series for v in s.values]
    frame, parts = _frame(width, height, title, show_title, max_value or max(totals + [1.0]))
    group_w = frame.plot_w / max(len(labels), 1)
    bar_w = group_w * 0.7 / (1 if stacked else max(len(series), 1))
    for i, label in enumerate(labels):
        x0 = frame.left + i * group_w + group_w * 0.15
        base = frame.y(0)
        for j, s in enumerate(series):
            value = _num(s.values[i])
            h = frame.y(0) - frame.y(value)
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
        parts.append(_text(frame.left + (i + 0.5) * group_w, frame.top + frame.plot_h + 14, label, size=10, anchor="middle"))
    parts.extend(_legend(series, frame.left, height - 12))
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
    show_title: bool = True,
) -> str:
    """Lines with dots, one point per label; missing values (None) break nothing."""
    values = [_num(v) for s in series for v in s.values if v is not None]
    frame, parts = _frame(width, height, title, show_title, max_value or max(values + [1.0]), min_value)
    step = frame.plot_w / max(len(labels), 1)
    for j, s in enumerate(series):
        color = PALETTE[j % len(PALETTE)]
        points = []
        for i, v in enumerate(s.values):
            if v is None:
                continue
            points.append((frame.left + (i + 0.5) * step, frame.y(_num(v)), _num(v), labels[i]))
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _v, _l in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
        for x, y, v, label in points:
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"><title>{escape(label)} {escape(s.name)}：{_fmt(v)}</title></circle>'
            )
            parts.append(_text(x, y - 5, _fmt(v), size=9, anchor="middle"))
    for i, label in enumerate(labels):
        parts.append(_text(frame.left + (i + 0.5) * step, frame.top + frame.plot_h + 14, label, size=10, anchor="middle"))
    parts.extend(_legend(series, frame.left, height - 12))
    parts.append("</svg>")
    return "".join(parts)


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


# -- the same chart as a PNG ---------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"
ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}  # Pillow's anchors at the text's baseline


@functools.cache
def _font_file() -> tuple[str, int] | None:
    """The font file (and face index in a collection) fontconfig picks for FONT_FAMILY."""
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}\n%{index}", FONT_FAMILY], capture_output=True, text=True,
                               timeout=10, check=True).stdout.split("\n")
        return found[0], int(found[1] or 0)
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        return None


@functools.cache
def _font(size: int):
    from PIL import ImageFont

    found = _font_file()
    if found is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(found[0], size, index=found[1])


def svg_png(svg, scale: int = 3) -> bytes:
    """Rasterise a chart of this module (its rects, lines, polylines, circles and
    texts; nothing else is drawn) to a PNG ``scale`` times its size. ``svg`` is
    the markup, or its element as parsed within an HTML document."""
    from PIL import Image, ImageDraw

    root = ElementTree.fromstring(svg) if isinstance(svg, str) else svg
    width, height = int(root.get("width")), int(root.get("height"))
    image = Image.new("RGB", (width * scale, height * scale), "white")
    draw = ImageDraw.Draw(image)

    def f(el, name: str) -> float:
        return float(el.get(name)) * scale

    for el in root.iter():
        tag = el.tag.removeprefix(SVG) if isinstance(el.tag, str) else ""
        if tag == "rect" and float(el.get("height")) > 0:
            draw.rectangle([f(el, "x"), f(el, "y"), f(el, "x") + f(el, "width"), f(el, "y") + f(el, "height")],
                           fill=el.get("fill"))
        elif tag == "line":
            draw.line([f(el, "x1"), f(el, "y1"), f(el, "x2"), f(el, "y2")], fill=el.get("stroke"),
                      width=round(float(el.get("stroke-width", 1)) * scale))
        elif tag == "polyline":
            points = [tuple(float(v) * scale for v in p.split(",")) for p in el.get("points").split()]
            draw.line(points, fill=el.get("stroke"), width=round(float(el.get("stroke-width", 1)) * scale), joint="curve")
        elif tag == "circle":
            cx, cy, r = f(el, "cx"), f(el, "cy"), f(el, "r")
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=el.get("fill"))
        elif tag == "text":
            draw.text((f(el, "x"), f(el, "y")), el.text or "", fill=el.get("fill", "#000"),
                      font=_font(round(float(el.get("font-size")) * scale)), anchor=ANCHORS[el.get("text-anchor", "start")])
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
