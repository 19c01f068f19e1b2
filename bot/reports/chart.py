"""Report charts as PNG: per step, the standard against the actual time, overdue in red.

Drawn with matplotlib's Agg canvas on a Figure of its own (no pyplot, no global state),
so several reports can render at once in the bot's worker threads. Sized for a phone: the
image is 1080 px wide, text is at least 10 pt at 170 dpi, step labels wrap to two lines
and the longest times switch the axis from minutes to hours.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from bot.reports.labels import duration, label, percent
from bot.reports.model import RunReport
from bot.reports.summary import ChatReport, SopStats

DPI = 170
WIDTH_IN = 1080 / DPI
STANDARD = "#9fb3c8"
ON_TIME = "#2f9e44"
OVERDUE = "#e03131"
INK = "#212529"
LABEL_PT, VALUE_PT, TITLE_PT = 10.5, 9.5, 13.0
ROW_IN = 0.62
TOP_IN, BOTTOM_IN, GROUP_GAP_IN, PANEL_TITLE_IN = 1.25, 0.65, 0.75, 0.3
MARGIN, LEFT, RIGHT = 0.02, 0.42, 0.96
HOURS_ABOVE = 480  # minutes: beyond one working day an axis in hours reads better


@dataclass(frozen=True)
class Bar:
    """One step's row: its label, standard, actual (or None: not reached) and overdue part."""

    label: str
    standard: float
    actual: float | None
    overdue: float


def step_label(no: int, aktivitas: str, returns: int, lang: str) -> str:
    """`no. activity` cut to two short lines, with ↺n when the step was returned n times."""
    mark = f" {label(lang, 'returns_mark', count=returns)}" if returns else ""
    lines = textwrap.wrap(f"{no}. {aktivitas}", width=24, max_lines=2, placeholder="…")
    lines[-1] += mark
    return "\n".join(lines)


def run_bars(report: RunReport, lang: str) -> list[Bar]:
    """The numbers the run chart draws: every pass's standard, the actual time, the overdue part."""
    return [
        Bar(step_label(s.no, s.aktivitas, s.returns, lang), s.standard_total_minutes or s.standard_minutes,
            s.actual_minutes if s.passes else None, s.overdue_minutes)
        for s in report.steps
    ]


def chat_bars(sop: SopStats, lang: str) -> list[Bar]:
    """The numbers of one SOP's panel: standard and average actual per pass, the excess."""
    return [
        Bar(step_label(s.no, s.aktivitas, 0, lang), s.standard_minutes, s.average_minutes,
            max(0.0, (s.average_minutes or 0.0) - s.standard_minutes))
        for s in sop.steps
    ]


def run_chart(report: RunReport, lang: str) -> bytes:
    """PNG of one run: standard and actual bars per step, overdue portion in red."""
    bars = run_bars(report, lang)
    fig = _figure(len(bars), 1)
    _draw(fig.add_subplot(1, 1, 1), bars, lang)
    subtitle = label(lang, "chart_subtitle", sop=_short(report.sop_nama, 36),
                     standard=duration(report.standard_total_minutes, lang),
                     actual=duration(report.actual_total_minutes, lang))
    _heading(fig, label(lang, "chart_title", number=report.number, title=_short(report.title, 48)), subtitle, lang)
    return _png(fig)


def chat_chart(report: ChatReport, lang: str) -> bytes:
    """PNG of a chat's runs: per SOP, each step's average actual pass against its standard."""
    groups = [s for s in report.sops if s.steps]
    rows = [len(s.steps) for s in groups] or [1]
    fig = _figure(sum(rows), len(rows), titled_panels=True)
    grid = fig.add_gridspec(len(rows), 1, height_ratios=rows, hspace=GROUP_GAP_IN / ROW_IN / (sum(rows) / len(rows)))
    for index, sop in enumerate(groups):
        ax = fig.add_subplot(grid[index, 0])
        _draw(ax, chat_bars(sop, lang), lang)
        title = label(lang, "chart_all_subtitle", sop=_short(sop.nama, 30), runs=sop.runs,
                      rate=percent(sop.on_time_rate))
        ax.set_title(title, fontsize=LABEL_PT, fontweight="bold", color=INK, loc="left",
                     x=(MARGIN - LEFT) / (RIGHT - LEFT), ha="left")
    _heading(fig, label(lang, "chart_all_title"), None, lang)
    return _png(fig)


def _figure(rows: int, groups: int, titled_panels: bool = False) -> Figure:
    """A figure whose margins are fixed in inches, so any number of steps lays out alike."""
    top = TOP_IN + (PANEL_TITLE_IN if titled_panels else 0.0)
    height = top + ROW_IN * max(rows, 1) + GROUP_GAP_IN * (groups - 1) + BOTTOM_IN
    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    fig.subplots_adjust(left=LEFT, right=RIGHT, top=1 - top / height, bottom=BOTTOM_IN / height)
    return fig


def _heading(fig: Figure, title: str, subtitle: str | None, lang: str) -> None:
    """Title, subtitle and legend in the top margin, left-aligned with the step labels."""
    height = fig.get_figheight()
    fig.text(MARGIN, 1 - 0.32 / height, title, fontsize=TITLE_PT, fontweight="bold", color=INK, va="center")
    if subtitle:
        fig.text(MARGIN, 1 - 0.62 / height, subtitle, fontsize=LABEL_PT, color=INK, va="center")
    handles = [Patch(color=STANDARD, label=label(lang, "legend_standard")),
               Patch(color=ON_TIME, label=label(lang, "legend_actual")),
               Patch(color=OVERDUE, label=label(lang, "legend_overdue"))]
    fig.legend(handles=handles, loc="center left", bbox_to_anchor=(MARGIN - 0.01, 1 - 0.95 / height), ncol=3,
               frameon=False, fontsize=LABEL_PT, handlelength=1.4, columnspacing=1.2)


def _draw(ax: Axes, bars: Sequence[Bar], lang: str) -> None:
    """Two thin bars per step (standard above, actual below), values at the bar ends."""
    peak = max([b.standard for b in bars] + [b.actual or 0.0 for b in bars] + [1.0])
    hours = peak > HOURS_ABOVE
    scale = 60.0 if hours else 1.0
    positions = list(range(len(bars)))
    ax.barh([p - 0.2 for p in positions], [b.standard / scale for b in bars], height=0.36, color=STANDARD)
    reached = [(p, b) for p, b in zip(positions, bars) if b.actual is not None]
    in_time = [max(0.0, (b.actual or 0.0) - b.overdue) / scale for _, b in reached]
    ax.barh([p + 0.2 for p, _ in reached], in_time, height=0.36, color=ON_TIME)
    ax.barh([p + 0.2 for p, _ in reached], [b.overdue / scale for _, b in reached], left=in_time,
            height=0.36, color=OVERDUE)
    for p, b in reached:
        ax.text((b.actual or 0.0) / scale, p + 0.2, " " + duration(b.actual or 0.0, lang), va="center",
                ha="left", fontsize=VALUE_PT, color=OVERDUE if b.overdue > 0 else INK)
    ax.set_yticks(positions, [b.label for b in bars], fontsize=LABEL_PT, color=INK)
    ax.set_ylim(len(bars) - 0.5, -0.6)
    ax.set_xlim(0, peak / scale * 1.42)
    ax.set_xlabel(label(lang, "axis_hours" if hours else "axis_minutes"), fontsize=LABEL_PT, color=INK)
    ax.tick_params(axis="x", labelsize=VALUE_PT)
    ax.grid(axis="x", color="#dee2e6", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _png(fig: Figure) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI, facecolor="white")
    return out.getvalue()
