"""The recovery trajectory as a hand-built, server-rendered SVG: no library, no network, no script.

One line per domain, told apart without colour by its marker shape and dash pattern (and by
colour too, from the Okabe-Ito palette, which colour-blind readers can distinguish). Styling uses
SVG presentation attributes only (``stroke="..."``): the content security policy forbids inline
``style``. Service deliveries appear as ticks under the time axis. Income follow-ups (registered by
the livelihood room) are a second line of the economic domain: its colour, filled diamonds, dotted.
A data table always goes with it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format, number_format

from core import clock
from core.choices import Domain

# Sized for a 360px phone first: the viewBox scales to the width, so keep it narrow and the text legible.
WIDTH, HEIGHT = 400, 280
LEFT, RIGHT, TOP, BOTTOM = 30, 12, 14, 58
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
Y_MIN, Y_MAX = 1, 4
MARKER_R = 5
PAD = 10  # keeps the first and last markers clear of the axis labels


@dataclass(frozen=True)
class DomainStyle:
    colour: str
    dash: str  # stroke-dasharray; "" for a solid line
    marker: str  # circle, square, triangle, diamond, cross, plus
    filled: bool


STYLES: dict[str, DomainStyle] = {
    Domain.SAFETY: DomainStyle("#0072B2", "", "circle", True),
    Domain.LEGAL: DomainStyle("#D55E00", "8 4", "square", False),
    Domain.MENTAL: DomainStyle("#009E73", "2 3", "triangle", True),
    Domain.ECONOMIC: DomainStyle("#CC79A7", "10 3 2 3", "diamond", False),
    Domain.SOCIAL: DomainStyle("#7A5C00", "4 2", "cross", False),
    Domain.PHYSICAL: DomainStyle("#333333", "12 2 2 2 2 2", "plus", False),
}


def marker_path(shape: str, cx: str | float, cy: str | float, r: float = MARKER_R) -> str:
    x, y = float(cx), float(cy)
    if shape == "circle":
        return f"M{x - r:.1f},{y:.1f}a{r},{r} 0 1,0 {2 * r},0a{r},{r} 0 1,0 {-2 * r},0Z"
    if shape == "square":
        return f"M{x - r:.1f},{y - r:.1f}h{2 * r}v{2 * r}h{-2 * r}Z"
    if shape == "triangle":
        return f"M{x:.1f},{y - r - 1:.1f}L{x + r + 1:.1f},{y + r:.1f}L{x - r - 1:.1f},{y + r:.1f}Z"
    if shape == "diamond":
        return f"M{x:.1f},{y - r - 1:.1f}L{x + r + 1:.1f},{y:.1f}L{x:.1f},{y + r + 1:.1f}L{x - r - 1:.1f},{y:.1f}Z"
    if shape == "cross":
        return f"M{x - r:.1f},{y - r:.1f}L{x + r:.1f},{y + r:.1f}M{x - r:.1f},{y + r:.1f}L{x + r:.1f},{y - r:.1f}"
    return f"M{x - r - 1:.1f},{y:.1f}H{x + r + 1:.1f}M{x:.1f},{y - r - 1:.1f}V{y + r + 1:.1f}"  # plus


def _fmt(day: dt.date) -> str:
    return date_format(day, "j M Y")


INCOME_DASH = "1 3"


def trajectory_chart(points: list[Any], markers: list[tuple[dt.date, str]], threshold: Decimal, *,
                     income: list[Any] | tuple[Any, ...] = ()) -> dict[str, Any]:
    """Coordinates for the template. ``points``: TrajectoryPoint (assessed_on, scores by domain);
    ``income``: IncomePoint (on, level 1-4, title) of the economic domain."""
    dates = [p.assessed_on for p in points] + [d for d, _label in markers] + [i.on for i in income]
    start, end = (min(dates), max(dates)) if dates else (clock.today(), clock.today())
    if (end - start).days < 30:  # one assessment, or all close together: a month-wide frame
        pad = dt.timedelta(days=15)
        start, end = start - pad, end + pad
    span = max((end - start).days, 1)

    # Coordinates leave here as strings: the template would localise a float ("14,5" in Indonesian).
    def x(day: dt.date) -> str:
        return f"{LEFT + PAD + (day - start).days / span * (PLOT_W - 2 * PAD):.1f}"

    def y(value: Decimal | float) -> str:
        return f"{TOP + (Y_MAX - float(value)) / (Y_MAX - Y_MIN) * PLOT_H:.1f}"

    lines = []
    for code, label in Domain.choices:
        style = STYLES[code]
        coords = [(x(p.assessed_on), y(p.scores[code]), p) for p in points if p.scores.get(code) is not None]
        lines.append({
            "code": code,
            "label": label,
            "colour": style.colour,
            "dash": style.dash,
            "fill": style.colour if style.filled else "#ffffff",
            "points": " ".join(f"{cx},{cy}" for cx, cy, _p in coords),
            "markers": [
                {"d": marker_path(style.marker, cx, cy), "title": f"{label}: {number_format(p.scores[code], 2)} ({_fmt(p.assessed_on)})"}
                for cx, cy, p in coords
            ],
            "legend_marker": marker_path(style.marker, 15, 6),
        })
    # Date labels: at most four, evenly chosen among the assessment dates, so they never overlap.
    assessed = sorted({p.assessed_on for p in points})
    if len(assessed) > 4:
        step = (len(assessed) - 1) / 3
        assessed = [assessed[round(i * step)] for i in range(4)]
    x_labels = [{"x": x(d), "text": date_format(d, "M Y"), "anchor": "middle"} for d in assessed]
    if len(x_labels) > 1:  # keep the outermost labels inside the picture
        x_labels[0]["anchor"], x_labels[-1]["anchor"] = "start", "end"
    gridlines = [{"y": y(v), "label": str(v)} for v in range(Y_MIN, Y_MAX + 1)]
    ticks = [{"x": x(d), "title": f"{_fmt(d)}: {label}"} for d, label in markers]
    economic = STYLES[Domain.ECONOMIC]
    income_coords = [(x(i.on), y(min(max(i.level, Y_MIN), Y_MAX)), i) for i in income]
    income_line = {
        "colour": economic.colour,
        "dash": INCOME_DASH,
        "points": " ".join(f"{cx},{cy}" for cx, cy, _i in income_coords),
        "markers": [{"d": marker_path(economic.marker, cx, cy, MARKER_R - 1), "title": f"{i.title} ({_fmt(i.on)})"}
                    for cx, cy, i in income_coords],
        "legend_marker": marker_path(economic.marker, 15, 6, MARKER_R - 1),
    } if income_coords else None
    return {
        "width": str(WIDTH),
        "height": str(HEIGHT),
        "left": str(LEFT),
        "axis_label_x": str(LEFT - 6),
        "right": str(WIDTH - RIGHT),
        "top": str(TOP),
        "bottom": str(TOP + PLOT_H),
        "tick_bottom": str(TOP + PLOT_H + 10),
        "label_y": str(TOP + PLOT_H + 26),
        "ticks_label_y": str(TOP + PLOT_H + 48),
        "lines": lines,
        "gridlines": gridlines,
        "threshold_y": y(threshold),
        "threshold": threshold,
        "x_labels": x_labels,
        "ticks": ticks,
        "income": income_line,
        "first": _fmt(start) if points else "",
        "last": _fmt(end) if points else "",
    }


def changes_between(previous: dict[str, Any] | None, latest: dict[str, Any]) -> list[dict[str, Any]]:
    """Per domain: the previous and latest score, the difference and its direction."""
    rows = []
    for code, label in Domain.choices:
        new = latest.get(code)
        old = (previous or {}).get(code)
        if new is None or old is None:
            direction, delta = ("none", None)
        else:
            delta = Decimal(new) - Decimal(old)
            direction = "improved" if delta > 0 else "declined" if delta < 0 else "unchanged"
        rows.append({"code": code, "label": label, "previous": old, "latest": new, "delta": delta,
                     "direction": direction})
    return rows
