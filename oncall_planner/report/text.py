"""Fairness reports as plain text and Markdown."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from oncall_planner.fairness.report import FairnessReport, PersonLoad
from oncall_planner.textutil import printable

INDEX_ROWS = (
    ("balance", "balance (mean pairwise min/max, 1 = even)"),
    ("one_minus_cv", "1 − coefficient of variation (1 = even)"),
    ("gini", "Gini coefficient (0 = even)"),
    ("max_over_mean", "max / mean (1 = even)"),
)


#: Width of the plain-text report: its tables and its prose fit an 80-column terminal.
WIDTH = 80


def _prose(text: str) -> list[str]:
    """A sentence wrapped to :data:`WIDTH`, continuation lines indented by two spaces."""
    return textwrap.wrap(
        text, WIDTH, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False
    )


def _h(x: float) -> str:
    return f"{x:.1f}"


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:+.1f}%"


def _columns(report: FairnessReport) -> list[str]:
    cols = [
        "Person", "Rostered", "Hours", "Level 1", "Level 2+", "Shifts", "Business", "Off", "Sleep",
        "Weekend", "Holiday", "Burden", "Hours vs avg", "Burden vs avg",
    ]  # fmt: skip
    if report.pages_given:
        cols += ["Pages", "Sleep pages"]
    if report.rates is not None:
        cols += [f"Pay ({report.rates.currency})"]
    return cols


def _row(report: FairnessReport, p: PersonLoad) -> list[str]:
    row = [
        p.user.name,
        "yes" if p.rostered else "no",
        _h(p.hours),
        _h(p.level1_hours),
        _h(p.later_hours),
        str(p.shifts),
        _h(p.business_hours),
        _h(p.off_hours),
        _h(p.sleep_hours),
        _h(p.weekend_hours),
        _h(p.holiday_hours),
        _h(p.burden),
        _pct(p.above_average_hours),
        _pct(p.above_average_burden),
    ]
    if report.pages_given:
        row += [str(p.pages), str(p.sleep_pages)]
    if report.rates is not None:
        row += ["—" if p.pay is None else f"{p.pay.total:.2f}"]
    return row


def _grid(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for n, r in enumerate(rows):
        cells = [
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return out


#: Characters that Markdown would read as markup (or, ``|``, as a table cell's end) in a name.
MD_SPECIAL = frozenset("\\`*_[]<>|#~")


def md_escape(text: str) -> str:
    """``text`` with Markdown's markup characters backslash-escaped, so it reads as written.

    An ``_`` between two letters or digits (``engineering_manager``) is never emphasis in
    Markdown, so it stays as it is.
    """
    out = []
    for i, c in enumerate(text):
        inside_word = (
            c == "_" and 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()
        )
        out.append("\\" + c if c in MD_SPECIAL and not inside_word else c)
    return "".join(out)


def _md_table(rows: Sequence[Sequence[str]], align_first_left: bool = True) -> list[str]:
    head, *body = rows
    sep = [":--" if i == 0 and align_first_left else "--:" for i in range(len(head))]
    cells = [head, *([md_escape(c) for c in r] for r in body)]
    return ["| " + " | ".join(r) + " |" for r in (cells[0], sep, *cells[1:])]


def _indices(report: FairnessReport) -> list[list[str]]:
    rows = [["Index", "Hours", "Burden"]]
    for attr, label in INDEX_ROWS:
        rows.append(
            [label, f"{getattr(report.hours, attr):.3f}", f"{getattr(report.burden, attr):.3f}"]
        )
    return rows


def _weights(report: FairnessReport) -> str:
    w = report.weights
    return f"night ×{w.night:g}, weekend ×{w.weekend:g}, holiday ×{w.holiday:g}"


def _levels(report: FairnessReport) -> str:
    return ", ".join(f"{name!r} at level {level}" for name, level in report.levels) or "none"


def _rates(report: FairnessReport) -> str:
    r = report.rates
    assert r is not None
    return (
        f"{r.per_hour:g} {r.currency}/hour and {r.per_shift:g} {r.currency}/shift; "
        f"weekday ×{r.weekday:g}, weekend ×{r.weekend:g}, holiday ×{r.holiday:g}"
    )


def _name(text: str, width: int = 20) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _text_tables(report: FairnessReport) -> list[str]:
    """The person table split in two, so each fits an 80-column terminal."""
    load = [["Person", "Rostered", "Hours", "Level 1", "Level 2+", "Shifts", "vs avg"]]
    when = [["Person", "Business", "Off", "Sleep", "Weekend", "Holiday", "Burden", "vs avg"]]
    extra = [["Person"]]
    if report.pages_given:
        extra[0] += ["Pages", "Sleep pages"]
    if report.rates is not None:
        extra[0] += [f"Pay ({report.rates.currency})"]
    for p in report.people:
        row = _row(report, p)
        name = _name(p.user.name)
        load.append([name, *row[1:6], row[12]])
        when.append([name, *row[6:12], row[13]])
        extra.append([name, *row[14:]])
    lines = [
        *_prose(
            "Load per person (Level 1: hours as the first person an escalation policy pages; "
            "Level 2+: hours on call only at later levels; vs avg: hours against the average of "
            "the rostered people)"
        ),
        *_grid(load),
        "",
        "Hours by time of day in each person's zone (business 08–18 Mon–Fri, sleep 22–08)",
        *_grid(when),
    ]
    if len(extra[0]) > 1:
        lines += [
            "",
            " and ".join(
                h
                for h in ("Pages" if report.pages_given else "", "Pay" if report.rates else "")
                if h
            ),
            *_grid(extra),
        ]
    return lines


def _pages_line(report: FairnessReport) -> str:
    """``Pages: …`` when pages given fall outside the horizon, else nothing."""
    note = report.pages_note()
    return f"Pages: {note}." if note else ""


def to_text(report: FairnessReport) -> str:
    """The report as aligned plain text; every line fits :data:`WIDTH` (80) columns."""
    span, length, why = report.horizon.describe_parts()
    lines = [
        "Fairness report",
        f"Horizon: {span}",
        *(f"  {line}" for line in textwrap.wrap(f"{length}: {why}", WIDTH - 2)),
        *_prose(f"Schedules: {_levels(report)}"),
        *_prose(_pages_line(report)),
        "",
        *_text_tables(report),
        "",
        f"Indices over the {len(report.rostered)} rostered people",
        *_prose(f"(burden weights: {_weights(report)})"),
        *_grid(_indices(report)),
    ]
    if report.rates is not None:
        lines += ["", *_prose(f"Pay: {_rates(report)}")]
    if report.pages_given and report.unattributed_pages:
        lines += [
            "",
            *_prose(f"Pages not attributed to anyone in the plan: {report.unattributed_pages}"),
        ]
    return printable("\n".join(lines) + "\n")


def to_markdown(report: FairnessReport) -> str:
    """The report as GitHub-flavoured Markdown."""
    lines = [
        "# Fairness report",
        "",
        f"**Horizon:** {report.horizon.describe()}",
        "",
        f"**Schedules:** {md_escape(_levels(report))}",
        "",
        *([f"**Pages:** {report.pages_note()}.", ""] if report.pages_note() else []),
        "## Load per person",
        "",
        "Level 1 is time on call as the first person an escalation policy pages, Level 2+ time "
        "on call only at later levels. Hours are in each person's own time zone: business 08–18 "
        "Mon–Fri, sleep 22–08, off the rest; weekend is Saturday and Sunday.",
        "",
        *_md_table([_columns(report), *(_row(report, p) for p in report.people)]),
        "",
        "## Fairness indices",
        "",
        f"Over the {len(report.rostered)} rostered people; burden weights: {_weights(report)}.",
        "",
        *_md_table(_indices(report)),
    ]
    if report.rates is not None:
        lines += ["", "## Pay preview", "", f"Rates: {_rates(report)}."]
    if report.pages_given and report.unattributed_pages:
        lines += ["", f"Pages not attributed to anyone in the plan: {report.unattributed_pages}."]
    return printable("\n".join(lines) + "\n")


__all__ = ["to_markdown", "to_text"]
