"""Server-rendered SVG bar charts for the dashboards: no library, no script, no network.

One horizontal bar per group, the value written at the end of each bar; a hidden value has no bar
and shows the suppression symbol. Presentation attributes only (the content security policy
forbids inline ``style``); ``role="img"`` with a title, and the same numbers always in the table
beside the chart. Narrow enough for a 360px phone: the viewBox scales to the width.
"""

from __future__ import annotations

from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .disclosure import SYMBOL
from .indicators import SHARE

WIDTH = 400
LABEL_W = 160
BAR_H = 18
GAP = 6
TOP = 6
VALUE_W = 70
COLOUR = "#0072B2"
PREVIOUS = "#999999"


def _short(label: str, limit: int = 22) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(block: Any) -> SafeString:
    indicator = block.indicator
    result = block.current
    rows = block.rows()
    values = [result.row_value(i) for i in range(len(rows))]
    if not rows:
        return mark_safe("")  # noqa: S308 - empty
    top = 100.0 if indicator.kind == SHARE or block.current.is_amount_share else max([v for v in values if v is not None] or [0]) or 1.0
    plot_w = WIDTH - LABEL_W - VALUE_W
    height = TOP * 2 + len(rows) * (BAR_H + GAP)
    title = escape(str(indicator.title))
    parts = [
        f'<svg class="chart" width="100%" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="t-{escape(indicator.code)}" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="13" font-family="sans-serif">',
        f'<title id="t-{escape(indicator.code)}">{title}</title>',
    ]
    for i, (row, value) in enumerate(zip(rows, values, strict=True)):
        y = TOP + i * (BAR_H + GAP)
        parts.append(f'<text x="{LABEL_W - 6}" y="{y + BAR_H - 4}" text-anchor="end" fill="#222">'
                     f'{escape(_short(str(row["label"])))}</text>')
        if value is None:
            parts.append(f'<text x="{LABEL_W + 4}" y="{y + BAR_H - 4}" fill="#555">{escape(SYMBOL)}</text>')
            continue
        w = max(0.0, min(1.0, float(value) / top)) * plot_w
        parts.append(f'<rect x="{LABEL_W}" y="{y}" width="{w:.1f}" height="{BAR_H}" fill="{COLOUR}"/>')
        parts.append(f'<text x="{LABEL_W + w + 4:.1f}" y="{y + BAR_H - 4}" fill="#222">{escape(row["value"])}</text>')
    parts.append(f'<line x1="{LABEL_W}" y1="{TOP - 2}" x2="{LABEL_W}" y2="{height - TOP + 2}" stroke="#444"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
