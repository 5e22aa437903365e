"""Small charts drawn on the server as inline SVG: no JavaScript, nothing from a CDN.

A chart is a picture for sighted readers: an ``<svg role="img">`` named by its ``<title>`` and
described by its ``<desc>``. Pages always pair it with a table of the same numbers, which is
what screen readers and keyboard users read. Every piece of text goes through ``format_html``,
so a course called ``<script>`` is drawn as text, never run.

Colours come from the site palette (static/css/technohub.css): ink on white 14.7:1, polder
green bars on white 9.0:1, the muted axis 6.9:1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

INK = "#1a2b2e"  # --th-ink
MUTED = "#4b5d61"  # --th-muted
BAR = "#0b5346"  # --th-green
TRACK = "#e3f2ee"  # --th-seats-bg: the empty part of a bar that has a fixed maximum

WIDTH = 720
FONT_SIZE = 16
# Labels longer than this are cut short in the picture; the table gives them in full.
MAX_LABEL_CHARS = 70


@dataclass(frozen=True)
class Bar:
    """One bar or column: its label, its value, and the text shown next to it.

    ``marker`` (optional, on the value scale) draws a line across the bar, e.g. the minimum
    number of participants of an offering.
    """

    label: str
    value: float
    text: str = ""
    marker: float | None = None

    @property
    def shown_text(self) -> str:
        return self.text or _number(self.value)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _coordinate(value: float) -> str:
    # format_html turns its arguments into text before formatting, so numbers come as text.
    return f"{value:.1f}"


def _short(label: str, limit: int = MAX_LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _svg(
    *, chart_id: str, title: str, description: str, height: int, body: SafeString
) -> SafeString:
    return format_html(
        '<svg class="chart__svg" viewBox="0 0 {width} {height}" width="{width}" '
        'height="{height}" role="img" aria-labelledby="{id}-title" aria-describedby="{id}-desc" '
        'font-size="{font_size}">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{description}</desc>'
        "{body}</svg>",
        width=WIDTH,
        height=height,
        id=chart_id,
        font_size=FONT_SIZE,
        title=title,
        description=description,
        body=body,
    )


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    bars: Sequence[Bar],
    scale_max: float | None = None,
) -> SafeString:
    """A horizontal bar chart: per bar its label on one line and the bar with its text below.

    ``scale_max`` fixes the value of a full-width bar (100 for percentages) and draws the empty
    track behind each bar; without it the longest bar fills the width. ``chart_id`` must be
    unique on the page: the title and description ids derive from it. No bars, no chart ("").
    """
    if not bars:
        return SafeString("")
    bar_area, row_height, bar_height = WIDTH - 140, 56, 20
    maximum = scale_max or max(max(bar.value for bar in bars), 1)

    def width_of(value: float) -> str:
        return _coordinate(bar_area * min(value, maximum) / maximum)

    rows = []
    for index, bar in enumerate(bars):
        top = 8 + index * row_height
        bar_top = top + 24
        rows.append(
            format_html(
                "<g><title>{label}: {text}</title>"
                '<text x="0" y="{label_y}" fill="{ink}">{short}</text>'
                "{track}"
                '<rect x="0" y="{bar_top}" width="{bar_width}" height="{bar_height}" '
                'fill="{bar_colour}"/>'
                "{marker}"
                '<text x="{text_x}" y="{text_y}" fill="{ink}">{text}</text></g>',
                label=bar.label,
                short=_short(bar.label),
                text=bar.shown_text,
                label_y=top + 16,
                ink=INK,
                track=format_html(
                    '<rect x="0" y="{}" width="{}" height="{}" fill="{}"/>',
                    bar_top,
                    bar_area,
                    bar_height,
                    TRACK,
                )
                if scale_max
                else "",
                bar_top=bar_top,
                bar_width=width_of(bar.value),
                bar_height=bar_height,
                bar_colour=BAR,
                marker=format_html(
                    '<line x1="{x}" x2="{x}" y1="{y1}" y2="{y2}" stroke="{ink}" stroke-width="3"/>',
                    x=width_of(bar.marker),
                    y1=bar_top - 4,
                    y2=bar_top + bar_height + 4,
                    ink=INK,
                )
                if bar.marker is not None
                else "",
                text_x=bar_area + 10,
                text_y=bar_top + 16,
            )
        )
    return _svg(
        chart_id=chart_id,
        title=title,
        description=description,
        height=16 + len(bars) * row_height,
        body=format_html_join("", "{}", ((row,) for row in rows)),
    )


def column_chart(
    *, chart_id: str, title: str, description: str, columns: Sequence[Bar]
) -> SafeString:
    """A vertical column chart with a label under and the value above each column.

    Meant for a dozen columns or so (weeks of a quarter); labels should be short ("wk 14").
    ``chart_id`` must be unique on the page. No columns, no chart ("").
    """
    if not columns:
        return SafeString("")
    plot_top, plot_height, margin = 28, 180, 8
    baseline = plot_top + plot_height
    slot = (WIDTH - 2 * margin) / len(columns)
    column_width = min(40.0, slot * 0.6)
    maximum = max(max(column.value for column in columns), 1)

    parts = []
    for index, column in enumerate(columns):
        centre = margin + slot * (index + 0.5)
        height = plot_height * column.value / maximum
        parts.append(
            format_html(
                "<g><title>{label}: {text}</title>"
                '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{bar}"/>'
                '<text x="{centre}" y="{value_y}" fill="{ink}" '
                'text-anchor="middle">{text}</text>'
                '<text x="{centre}" y="{label_y}" fill="{ink}" '
                'text-anchor="middle">{short}</text></g>',
                label=column.label,
                short=_short(column.label, 10),
                text=column.shown_text,
                x=_coordinate(centre - column_width / 2),
                y=_coordinate(baseline - height),
                w=_coordinate(column_width),
                h=_coordinate(height),
                bar=BAR,
                centre=_coordinate(centre),
                value_y=_coordinate(baseline - height - 8),
                label_y=baseline + 24,
                ink=INK,
            )
        )
    axis = format_html(
        '<line x1="0" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="2"/>',
        WIDTH,
        baseline,
        baseline,
        MUTED,
    )
    return _svg(
        chart_id=chart_id,
        title=title,
        description=description,
        height=baseline + 36,
        body=format_html("{}{}", axis, format_html_join("", "{}", ((part,) for part in parts))),
    )
