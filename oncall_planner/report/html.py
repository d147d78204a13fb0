"""A fairness report as one self-contained HTML page: inline CSS and SVG, no scripts, no fetches.

The page has, per schedule, an SVG timeline (each layer alone, faded where a later layer or an
override hides it, then the overrides and the final schedule), per-person load charts, the load
table and the indices. The same report gives byte-identical HTML.

A shift-based schedule's timeline has a row per rotation, then the overrides, the empty slots
and the final schedule; where several people are on call at once a row splits into lanes, one
bar under another, so no shift hides another.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape as _html_escape

from oncall_planner.fairness.report import FairnessReport
from oncall_planner.model import Schedule
from oncall_planner.render import Entry, FinalSchedule, Vacancy
from oncall_planner.report.text import _columns, _indices, _row, _weights
from oncall_planner.textutil import printable
from oncall_planner.timeutil import zone

PALETTE = (
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#1f77b4", "#8c564b",
)  # fmt: skip
BUCKET_COLOURS = (("business", "#59a14f"), ("off", "#f28e2b"), ("sleep", "#4e79a7"))

LABEL_W = 190
PLOT_W = 760
#: Room right of the plot for the label of a tick near its end ("Feb 25" is about 36 px).
RIGHT_PAD = 44
ROW_H = 24
ROW_GAP = 8
#: Height of the axis: a row for the year (where it changes) above a row of dates.
AXIS_H = 40

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em}
table{border-collapse:collapse;font-size:.85em}
th,td{border:1px solid #ccc;padding:3px 7px;text-align:right}
th:first-child,td:first-child{text-align:left}
th{background:#f3f3f3}
svg text{font-size:11px;fill:#333}
.scroll{overflow-x:auto;max-width:100%}
@media (max-width:600px){body{margin:12px}}
.note{color:#555;font-size:.9em}
.warning{background:#fff4d6;border-left:4px solid #e0a800;padding:4px 8px}
.legend span{display:inline-block;margin-right:14px;font-size:.85em}
.legend i{display:inline-block;width:11px;height:11px;margin-right:4px;vertical-align:-1px}
"""


def _esc(text: str) -> str:
    """Text for HTML: markup escaped, control characters written as ``\\x1b`` (HTML allows
    none of them raw)."""
    return _html_escape(printable(text))


def _colour_map(report: FairnessReport) -> dict[str, str]:
    return {p.user.email.lower(): PALETTE[i % len(PALETTE)] for i, p in enumerate(report.people)}


def _tick_step_days(span: dt.timedelta) -> int:
    days = span.total_seconds() / 86400
    for step in (1, 7, 28, 91):
        if days / step <= 16:
            return step
    return 364


def _ticks(since: dt.datetime, until: dt.datetime, tz: str) -> list[tuple[dt.datetime, str, str]]:
    """Local midnights to mark: (instant, date label, year label on the first tick and wherever
    the year changes, else "")."""
    z = zone(tz)
    step = _tick_step_days(until - since)
    local = since.astimezone(z)
    day = local.date() + dt.timedelta(days=1 if local.time() != dt.time(0) else 0)
    out = []
    year = None
    while True:
        at = dt.datetime.combine(day, dt.time(0), z)
        if at >= until:
            break
        out.append((at, day.strftime("%b %d"), str(day.year) if day.year != year else ""))
        year = day.year
        day += dt.timedelta(days=step)
    return out


def _x(at: dt.datetime, since: dt.datetime, until: dt.datetime) -> float:
    return LABEL_W + PLOT_W * (at - since) / (until - since)


def _bars(
    entries: Sequence[Entry],
    y: float,
    colours: dict[str, str],
    final: FinalSchedule,
    opacity: str,
    tz: str,
    labels: list[str] | None = None,
    covered: Sequence[Entry] = (),
) -> list[str]:
    """One rectangle per entry; names of wide enough entries go to ``labels`` (drawn after every
    rectangle of the row, so none is hidden under a later one), except for an entry that
    overlaps one of ``covered`` (a faded bar under the visible parts, which carry the names)."""
    z = zone(tz)
    out = []
    for e in entries:
        x0, x1 = _x(e.start, final.since, final.until), _x(e.end, final.since, final.until)
        tip = (
            f"{e.user.name}: {e.start.astimezone(z):%a %Y-%m-%d %H:%M} → "
            f"{e.end.astimezone(z):%a %Y-%m-%d %H:%M %Z}"
        )
        colour = colours.get(e.user.email.lower(), "#999")
        out.append(
            f'<rect x="{x0:.2f}" y="{y:.2f}" width="{max(x1 - x0, 0.5):.2f}" height="{ROW_H}" '
            f'fill="{colour}" fill-opacity="{opacity}"><title>{_esc(tip)}</title></rect>'
        )
        hidden = any(c.start < e.end and e.start < c.end for c in covered)
        if x1 - x0 > 6 * len(e.user.name) + 6 and not hidden:
            (out if labels is None else labels).append(
                f'<text x="{x0 + 4:.2f}" y="{y + ROW_H / 2 + 4:.2f}">{_esc(e.user.name)}</text>'
            )
    return out


def _lanes(entries: Sequence[Entry]) -> list[list[Entry]]:
    """``entries`` split into lanes of disjoint entries, each in the first lane free at its start
    (one lane when none overlap, as on a layer-based schedule)."""
    lanes: list[list[Entry]] = []
    for e in sorted(entries, key=lambda e: (e.start, e.end)):
        for lane in lanes:
            if lane[-1].end <= e.start:
                lane.append(e)
                break
        else:
            lanes.append([e])
    return lanes or [[]]


def _vacancy_bars(
    vacancies: Sequence[Vacancy], y: float, final: FinalSchedule, tz: str
) -> list[str]:
    """One outlined grey rectangle per empty slot."""
    z = zone(tz)
    out = []
    for v in vacancies:
        x0, x1 = _x(v.start, final.since, final.until), _x(v.end, final.since, final.until)
        tip = (
            f"Empty slot ({v.source}): {v.start.astimezone(z):%a %Y-%m-%d %H:%M} → "
            f"{v.end.astimezone(z):%a %Y-%m-%d %H:%M %Z}"
        )
        out.append(
            f'<rect x="{x0:.2f}" y="{y:.2f}" width="{max(x1 - x0, 0.5):.2f}" height="{ROW_H}" '
            'fill="#e5e5e5" stroke="#999" stroke-dasharray="3,2">'
            f"<title>{_esc(tip)}</title></rect>"
        )
    return out


def timeline_svg(final: FinalSchedule, colours: dict[str, str], index: int) -> str:
    """One schedule's timeline: each layer (rotation) alone, faded where hidden (replaced),
    overrides, empty slots, final; a row with people on call at once splits into lanes."""
    schedule = final.schedule
    if isinstance(schedule, Schedule):
        labels = [f"Layer {layer.name}" for layer in schedule.layers]
    else:
        labels = [f"Rotation {r.name or i + 1}" for i, r in enumerate(schedule.rotations)]
    tz = schedule.time_zone
    rows: list[tuple[str, list[str]]] = []

    def row_y() -> float:
        """Where the next row goes."""
        return AXIS_H + len(rows) * (ROW_H + ROW_GAP)

    for label, alone, shown in zip(labels, final.layers, final.visible, strict=True):
        alone_lanes, shown_lanes = _lanes(alone), _lanes(shown)
        for lane in range(max(len(alone_lanes), len(shown_lanes))):
            names: list[str] = []
            under = alone_lanes[lane] if lane < len(alone_lanes) else []
            over = shown_lanes[lane] if lane < len(shown_lanes) else []
            y = row_y()
            parts = _bars(under, y, colours, final, "0.28", tz, names, covered=over)
            parts += _bars(over, y, colours, final, "1", tz, names)
            rows.append((label if lane == 0 else "", parts + names))
    if final.overrides:
        for lane, entries in enumerate(_lanes(final.overrides)):
            rows.append(
                ("Overrides" if lane == 0 else "", _bars(entries, row_y(), colours, final, "1", tz))
            )
    if final.vacancies:
        rows.append(("Empty slots", _vacancy_bars(final.vacancies, row_y(), final, tz)))
    final_row = len(rows)
    for lane, entries in enumerate(_lanes(final.entries)):
        rows.append(
            (
                "Final schedule" if lane == 0 else "",
                _bars(entries, row_y(), colours, final, "1", tz),
            )
        )
    y = row_y()
    height = y + 4
    width = LABEL_W + PLOT_W + RIGHT_PAD
    out = [
        f'<svg class="timeline" id="timeline-{index}" xmlns="http://www.w3.org/2000/svg" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_esc(f"Timeline of schedule {schedule.name}")}">'
    ]
    for at, label, year in _ticks(final.since, final.until, tz):
        x = _x(at, final.since, final.until)
        out.append(
            f'<line x1="{x:.2f}" y1="{AXIS_H - 6}" x2="{x:.2f}" y2="{height - 4}" stroke="#ddd"/>'
        )
        out.append(f'<text x="{x + 2:.2f}" y="{AXIS_H - 10}">{_esc(label)}</text>')
        if year:
            out.append(f'<text x="{x + 2:.2f}" y="{AXIS_H - 24}" font-weight="bold">{year}</text>')
    for n, (label, parts) in enumerate(rows):
        ry = AXIS_H + n * (ROW_H + ROW_GAP)
        weight = "bold" if n == final_row else "normal"
        if label:
            out.append(
                f'<text x="4" y="{ry + ROW_H / 2 + 4:.2f}" font-weight="{weight}">'
                f"{_esc(label[:30])}</text>"
            )
        out.append(
            f'<rect x="{LABEL_W}" y="{ry}" width="{PLOT_W}" height="{ROW_H}" fill="none" '
            'stroke="#bbb"/>'
        )
        out.extend(parts)
    out.append("</svg>")
    return "\n".join(out)


def load_chart_svg(report: FairnessReport) -> str:
    """Per-person stacked bars of business/off/sleep hours, with the weighted burden beside."""
    people = report.people
    peak = max([p.hours for p in people] + [p.burden for p in people] + [1.0])
    bar_w = 300
    row = 22
    height = 30 + row * len(people)
    width = LABEL_W + 2 * (bar_w + 90)
    out = [
        f'<svg class="load-chart" id="load-chart" xmlns="http://www.w3.org/2000/svg" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        'aria-label="Hours and burden per person">',
        f'<text x="{LABEL_W}" y="16" font-weight="bold">Hours by kind</text>',
        f'<text x="{LABEL_W + bar_w + 90}" y="16" font-weight="bold">Weighted burden</text>',
    ]
    for n, p in enumerate(people):
        y = 26 + n * row
        out.append(f'<text x="4" y="{y + 13}">{_esc(p.user.name[:30])}</text>')
        x = float(LABEL_W)
        for attr, colour in BUCKET_COLOURS:
            value = getattr(p, f"{attr}_hours")
            w = bar_w * value / peak
            if w > 0:
                out.append(
                    f'<rect x="{x:.2f}" y="{y}" width="{w:.2f}" height="{row - 6}" fill="{colour}">'
                    f"<title>{_esc(f'{p.user.name}: {value:.1f} h {attr}')}</title></rect>"
                )
            x += w
        out.append(f'<text x="{x + 4:.2f}" y="{y + 13}">{p.hours:.1f} h</text>')
        bx = LABEL_W + bar_w + 90
        bw = bar_w * p.burden / peak
        out.append(
            f'<rect x="{bx}" y="{y}" width="{bw:.2f}" height="{row - 6}" fill="#b07aa1">'
            f"<title>{_esc(f'{p.user.name}: burden {p.burden:.1f}')}</title></rect>"
        )
        out.append(f'<text x="{bx + bw + 4:.2f}" y="{y + 13}">{p.burden:.1f}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _table(rows: Sequence[Sequence[str]], table_id: str) -> str:
    head, *body = rows
    out = [f'<table id="{table_id}">', "<thead><tr>"]
    out += [f"<th>{_esc(c)}</th>" for c in head]
    out.append("</tr></thead><tbody>")
    for r in body:
        out.append("<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in r) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def to_html(report: FairnessReport) -> str:
    """The report as one offline HTML page."""
    colours = _colour_map(report)
    legend = "".join(
        f'<span><i style="background:{colours[p.user.email.lower()]}"></i>'
        f"{_esc(p.user.name)}</span>"
        for p in report.people
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Fairness report</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>Fairness report</h1>",
        f'<p class="note">Horizon: {_esc(report.horizon.describe())}</p>',
        *(
            [f'<p class="warning">Pages: {_esc(note)}.</p>']
            if (note := report.pages_note())
            else []
        ),
        "<h2>Timelines</h2>",
        f'<p class="legend">{legend}</p>',
        '<p class="note">Each layer on its own (faded where a later layer or an override hides '
        "it), then the overrides and the final schedule.</p>",
        *(
            [
                '<p class="note">A shift-based schedule shows each rotation (faded where an '
                "override replaces someone), the overrides, its empty slots (outlined) and the "
                "final schedule; where several people are on call at once, a row splits into "
                "lanes.</p>"
            ]
            if any(f.concurrent for f in report.finals)
            else []
        ),
    ]
    levels = dict(report.levels)
    for i, final in enumerate(report.finals):
        name = final.schedule.name
        parts.append(
            f"<h3>{_esc(name)} <small>({_esc(final.schedule.time_zone)}, level "
            f"{levels.get(name, '?')})</small></h3>"
        )
        # Wide charts and tables scroll inside their own box: on a narrow screen (400 px) the
        # page itself never scrolls sideways, and the charts keep a readable size.
        parts.append(f'<div class="scroll">{timeline_svg(final, colours, i)}</div>')
    parts += [
        "<h2>Load per person</h2>",
        '<p class="legend">'
        + "".join(f'<span><i style="background:{c}"></i>{k}</span>' for k, c in BUCKET_COLOURS)
        + '<span><i style="background:#b07aa1"></i>burden</span></p>',
        f'<div class="scroll">{load_chart_svg(report)}</div>',
        '<p class="note">Level 1: time on call as the first person an escalation policy pages; '
        "Level 2+: time on call only at later levels. Hours in each person's own time zone: "
        "business 08–18 Mon–Fri, sleep 22–08, off the rest.</p>",
        '<div class="scroll">',
        _table([_columns(report), *(_row(report, p) for p in report.people)], "load-table"),
        "</div>",
        "<h2>Fairness indices</h2>",
        f'<p class="note">Over the {len(report.rostered)} rostered people; burden weights: '
        f"{_weights(report)}.</p>",
        '<div class="scroll">',
        _table(_indices(report), "indices-table"),
        "</div>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


__all__ = ["load_chart_svg", "timeline_svg", "to_html"]
