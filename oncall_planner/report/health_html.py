"""The health report as one self-contained HTML page: inline CSS and SVG, no script, no fetch.

It has, per person, an hour-of-day × weekday heat map of interruptions (in the person's own
zone), a per-week trend of MTTA, MTTR and interruptions, and the report's tables. Every chart is
an SVG with a ``viewBox`` and ``width:100%``, so it scales to the page (readable at 400 px wide);
wide tables scroll inside their own box. A number the input cannot give is "n/a" with the reason
in its tooltip and in the list of reasons.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape as _html_escape
from typing import Any

from oncall_planner.health.hours import DAY_NAMES
from oncall_planner.health.report import NOT_AVAILABLE, HealthReport, PersonHealth, Unavailable
from oncall_planner.report.health import (
    _history_lines,
    _incident_lines,
    _people_rows,
    _postmortem_lines,
    _reasons,
    _summary_lines,
    _team_lines,
    _trend_rows,
)
from oncall_planner.textutil import printable


def _esc(text: str) -> str:
    """Text for HTML: markup escaped, control characters written as ``\\x1b``."""
    return _html_escape(printable(text))


CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:12px;color:#222;
max-width:1000px;line-height:1.4}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.5em}h3{font-size:1em;margin:1em 0 .3em}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:.85em}
th,td{border:1px solid #ccc;padding:3px 6px;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}
th{background:#f3f3f3}
svg.chart{display:block;width:100%;max-width:640px;height:auto}
svg text{font-size:10px;fill:#333}
.note{color:#555;font-size:.9em}
.na{color:#8a5a00}
.error{color:#b00020}.warning{color:#8a5a00}.info{color:#555}
ul{padding-left:1.2em}li{overflow-wrap:anywhere}
.grid{display:flex;flex-wrap:wrap;gap:12px}
.grid figure{margin:0;flex:1 1 300px;min-width:0}
figcaption{font-weight:bold;font-size:.9em;margin-bottom:2px}
"""

#: Heat map geometry (viewBox units): a label column, 24 hour columns, 7 day rows.
HM_LABEL = 30
HM_CELL_W = 14
HM_CELL_H = 16
HM_TOP = 16
HEAT = ("#f7f7f7", "#fde0c5", "#facba6", "#f8b58b", "#f59e72", "#f2855d", "#ef6a4c", "#eb4a40")


def _heat_colour(n: int, peak: int) -> str:
    if n <= 0 or peak <= 0:
        return HEAT[0]
    step = max(1, min(len(HEAT) - 1, 1 + (n - 1) * (len(HEAT) - 1) // max(peak, 1)))
    return HEAT[step]


def heat_map_svg(person: PersonHealth, index: int) -> str:
    """Interruptions by hour of day (columns) and weekday (rows), in the person's zone."""
    grid = person.heat_map
    assert not isinstance(grid, Unavailable)
    peak = max((max(row) for row in grid), default=0)
    width = HM_LABEL + 24 * HM_CELL_W + 4
    height = HM_TOP + 7 * HM_CELL_H + 18
    name = person.user.name
    out = [
        f'<svg class="chart heatmap" id="heatmap-{index}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_esc(f"Interruptions of {name} by hour and weekday")}">'
    ]
    for hour in range(0, 24, 3):
        x = HM_LABEL + hour * HM_CELL_W
        out.append(f'<text x="{x}" y="{HM_TOP - 4}">{hour:02d}</text>')
    for d, row in enumerate(grid):
        y = HM_TOP + d * HM_CELL_H
        out.append(f'<text x="2" y="{y + HM_CELL_H - 4}">{DAY_NAMES[d]}</text>')
        for hour, n in enumerate(row):
            x = HM_LABEL + hour * HM_CELL_W
            tip = f"{DAY_NAMES[d]} {hour:02d}:00-{hour + 1:02d}:00: {n} interruption(s)"
            out.append(
                f'<rect x="{x}" y="{y}" width="{HM_CELL_W - 1}" height="{HM_CELL_H - 1}" '
                f'fill="{_heat_colour(n, peak)}"><title>{_esc(tip)}</title></rect>'
            )
            if n:
                out.append(
                    f'<text x="{x + HM_CELL_W / 2 - 0.5:.1f}" y="{y + HM_CELL_H - 4}" '
                    f'text-anchor="middle">{n}</text>'
                )
    legend_y = HM_TOP + 7 * HM_CELL_H + 13
    out.append(
        f'<text x="{HM_LABEL}" y="{legend_y}">hours in {_esc(person.time_zone)}; busiest hour: '
        f"{peak}</text>"
    )
    out.append("</svg>")
    return "\n".join(out)


def _week_label(report: HealthReport, i: int) -> str:
    return report.weeks[i].start.strftime("%b %d")


def trend_svg(report: HealthReport, field: str, title: str, unit: str, index: int) -> str:
    """A bar per week of one trend series; weeks without a value show "n/a"."""
    weeks = report.weeks
    n = max(len(weeks), 1)
    left, top, plot_w, plot_h = 34, 14, 340, 70
    width, height = left + plot_w + 6, top + plot_h + 30
    values: list[float | None] = []
    for w in weeks:
        v = getattr(w, field)
        if isinstance(v, Unavailable):
            values.append(None)
        else:
            values.append(v / 60 if unit == "min" else float(v))
    peak = max([v for v in values if v is not None] + [0.0])
    scale = peak if peak > 0 else 1.0
    slot = plot_w / n
    bar = max(2.0, slot * 0.6)
    out = [
        f'<svg class="chart trend" id="trend-{index}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{_esc(title)} per week">',
        f'<text x="{left}" y="10" font-weight="bold">{_esc(title)}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#999"/>',
        f'<text x="2" y="{top + 8}">{peak:.0f}</text>',
        f'<text x="2" y="{top + plot_h}">0</text>',
    ]
    every = max(1, -(-n // 8))  # at most 8 labels
    for i, v in enumerate(values):
        x = left + i * slot + (slot - bar) / 2
        label = _week_label(report, i)
        if v is None:
            reason = getattr(weeks[i], field).reason
            out.append(
                f'<text x="{x:.1f}" y="{top + plot_h - 3}" class="na">n/a'
                f"<title>{_esc(f'week of {label}: {reason}')}</title></text>"
            )
        else:
            h = plot_h * v / scale
            shown = f"{v:.1f} {unit}" if unit == "min" else f"{v:.0f}"
            out.append(
                f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="#4e79a7"><title>{_esc(f"week of {label}: {shown}")}</title></rect>'
            )
        if i % every == 0:
            out.append(
                f'<text x="{left + i * slot:.1f}" y="{top + plot_h + 12}">{_esc(label)}</text>'
            )
    out.append("</svg>")
    return "\n".join(out)


def _cell(value: str) -> str:
    if value == "n/a":
        return f'<td class="na" title="{NOT_AVAILABLE}">n/a</td>'
    return f"<td>{_esc(value)}</td>"


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], table_id: str) -> str:
    out = [f'<div class="scroll"><table id="{table_id}">', "<thead><tr>"]
    out += [f"<th>{_esc(c)}</th>" for c in head]
    out.append("</tr></thead><tbody>")
    for r in rows:
        out.append("<tr>" + "".join(_cell(c) for c in r) + "</tr>")
    out.append("</tbody></table></div>")
    return "\n".join(out)


def _list(lines: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{_esc(line)}</li>" for line in lines) + "</ul>"


def _unavailable(value: Any) -> str:
    return f'<p class="na">{NOT_AVAILABLE}: {_esc(value.reason)}</p>'


def to_html(report: HealthReport) -> str:
    """The report as one offline HTML page."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>On-call health report</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>On-call health report</h1>",
        _list(_summary_lines(report)),
        "<h2>People</h2>",
        '<p class="note">Hours on call in the window; interruptions merged as PagerDuty does; '
        "n/a: not available from this input.</p>",
    ]
    head, rows = _people_rows(report)
    parts.append(_table(head, rows, "people-table"))

    parts.append("<h2>Interruptions by hour and weekday</h2>")
    parts.append(
        '<p class="note">Each person in their own time zone; darker is more.</p><div class="grid">'
    )
    for i, p in enumerate(report.people):
        parts.append(f"<figure><figcaption>{_esc(p.user.name)}</figcaption>")
        if isinstance(p.heat_map, Unavailable):
            parts.append(_unavailable(p.heat_map))
        else:
            parts.append(heat_map_svg(p, i))
        parts.append("</figure>")
    parts.append("</div>")

    parts.append('<h2>Per week</h2><div class="grid">')
    for i, (field, title, unit) in enumerate(
        (
            ("mtta_seconds", "MTTA (minutes)", "min"),
            ("mttr_seconds", "MTTR (minutes)", "min"),
            ("interruptions", "Interruptions", ""),
        )
    ):
        parts.append(f"<figure>{trend_svg(report, field, title, unit, i)}</figure>")
    parts.append("</div>")
    head, rows = _trend_rows(report)
    parts.append(_table(head, rows, "trend-table"))

    parts += ["<h2>Teams</h2>", _list(_team_lines(report))]
    parts += ["<h2>Incidents</h2>", _list(_incident_lines(report))]
    posts = _postmortem_lines(report)
    if posts:
        parts += ["<h2>Postmortems</h2>", _list(posts)]
    parts.append("<h2>Findings</h2>")
    if report.findings:
        parts.append(
            "<ul>"
            + "".join(
                f'<li><span class="{f.severity}">{f.severity} {f.code}</span> {_esc(f.rule)}: '
                f"{_esc(f.subject)}: {_esc(f.message)}</li>"
                for f in report.findings
            )
            + "</ul>"
        )
    else:
        parts.append("<p>None.</p>")
    reasons = _reasons(report)
    if reasons:
        parts += ["<h2>Not available from this input</h2>", _list(reasons)]
    extra = _history_lines(report)
    if extra:
        parts += ["<h2>History left out</h2>", _list(extra)]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


__all__ = ["heat_map_svg", "to_html", "trend_svg"]
