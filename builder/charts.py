"""Articles per month as a bar chart: the layout term pages draw as SVG."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from builder import urls
from builder.model import Article


@dataclass(frozen=True)
class Bar:
    """One month's bar of a chart, in SVG user units."""

    x: float
    y: float
    width: float
    height: float
    label: str  # "March 2026"
    count: int
    path: str | None  # the month's archive page (None for a month without articles)


@dataclass(frozen=True)
class Chart:
    """An articles-per-month bar chart, laid out at build time so the template only draws it."""

    width: int
    height: int
    left: float  # x of the plot's left edge: the value labels sit left of it
    baseline: float
    bars: tuple[Bar, ...]
    ticks: tuple[tuple[float, str, str], ...]  # (x, SVG text-anchor, text) of the labels under the bars
    values: tuple[tuple[float, int], ...]  # (y, count) of the value axis's labels and grid lines
    total: int  # dated articles charted
    first: str  # "March 2026": the first and last month charted
    last: str
    peak: tuple[str, int]  # (month, count) of the busiest month
    counts: tuple[tuple[str, int], ...]  # (month, count) of months with articles, for the table


def per_month(articles: list[Article]) -> list[tuple[dt.date, int]]:
    """(first day of month, count) for every month from the first dated article to the last."""
    dates = sorted(a.date for a in articles if a.date)
    if not dates:
        return []
    counts: dict[tuple[int, int], int] = {}
    for d in dates:
        counts[(d.year, d.month)] = counts.get((d.year, d.month), 0) + 1
    year, month = dates[0].year, dates[0].month
    months = []
    while (year, month) <= (dates[-1].year, dates[-1].month):
        months.append((dt.date(year, month, 1), counts.get((year, month), 0)))
        year, month = (year + month // 12, month % 12 + 1)
    return months


CHART_WIDTH, CHART_HEIGHT, CHART_AXIS = 480, 150, 24  # SVG units; the axis band holds the month labels
CHART_LEFT = 30  # the value labels' band


MAX_STEP = 40  # widest a month's slot gets, so a short history does not draw huge bars


MONTH_LABELS_FROM = 36  # narrower slots get a label per year instead of per month


@cache
def _month(month: dt.date) -> str:
    """ "March 2026": every term's chart names the same few dozen months."""
    return f"{month:%B %Y}"


@cache
def _short(month: dt.date) -> str:
    return f"{month:%b}"


def month_chart(months: list[tuple[dt.date, int]]) -> Chart | None:
    """Bars of articles per month, tallest = chart height, each linking to its month's page;
    None when nothing is dated."""
    if not months:
        return None
    step = min(MAX_STEP, (CHART_WIDTH - CHART_LEFT) / len(months))
    width = round(CHART_LEFT + step * len(months))
    top = max(count for _, count in months)
    plot = CHART_HEIGHT - CHART_AXIS - 8
    baseline = plot + 8
    bars, ticks = [], []
    for i, (month, count) in enumerate(months):
        height = round(plot * count / top, 1)
        left = CHART_LEFT + i * step
        path = urls.archive(month.year, month.month) if count else None
        bars.append(
            Bar(
                round(left + step * 0.1, 1),
                round(baseline - height, 1),
                round(step * 0.8, 1),
                height,
                _month(month),
                count,
                path,
            )
        )
        if step >= MONTH_LABELS_FROM:
            ticks.append((round(left + step / 2, 1), "middle", _short(month)))
        elif month.month == 1 or i == 0:  # a year starts at its first bar's left edge
            ticks.append((round(left + step * 0.1, 1), "start", str(month.year)))
    if step < MONTH_LABELS_FROM and len(ticks) > 1 and ticks[1][0] - ticks[0][0] < 44:
        ticks.pop(0)  # the first year's label would run into the next one
    if ticks and ticks[-1][1] == "start" and ticks[-1][0] + 36 > width:
        ticks[-1] = (width, "end", ticks[-1][2])  # a year starting at the last bar stays inside the chart
    marks = sorted({0, top, *([top // 2] if top % 2 == 0 else [])})  # whole numbers only
    values = [(round(baseline - plot * v / top, 1), v) for v in marks]
    peak = max(months, key=lambda mc: (mc[1], mc[0]))
    return Chart(
        width,
        CHART_HEIGHT,
        CHART_LEFT,
        baseline,
        tuple(bars),
        tuple(ticks),
        tuple(values),
        sum(count for _, count in months),
        _month(months[0][0]),
        _month(months[-1][0]),
        (_month(peak[0]), peak[1]),
        tuple((_month(m), c) for m, c in months if c),
    )
