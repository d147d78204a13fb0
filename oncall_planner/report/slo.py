"""The SLO forecast as text, JSON, CSV and HTML (``oncall-planner forecast`` and the demo).

Every format holds the same parts: the history replayed, the paging alerts with their episodes,
pages and rate, the pages the backtest would have sent through the rota, the forecast per shift
and per person with its 90% interval, and the findings. Output is deterministic; the HTML has
no script and fetches nothing; CSV cells that a spreadsheet would run as a formula are quoted.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import textwrap
from collections.abc import Sequence
from html import escape
from typing import Any

from oncall_planner.checks import Finding
from oncall_planner.model import User
from oncall_planner.slo.pipeline import SLOReport
from oncall_planner.slo.spec import format_duration
from oncall_planner.timeutil import zone

UTC = dt.timezone.utc


def _when(value: dt.datetime | None, tz: str) -> str:
    if value is None:
        return "-"
    return value.astimezone(zone(tz)).strftime("%a %Y-%m-%d %H:%M")


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _who(user: User | str | None) -> str:
    if user is None:
        return "nobody"
    return user.name if isinstance(user, User) else user


def _grid(rows: Sequence[Sequence[str]], header: Sequence[str], width: int = 80) -> list[str]:
    """Columns, numbers to the right; the last column is cut with … to fit ``width``."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    room = max(width - 2 - sum(w + 2 for w in widths[:-1]), 8)
    widths[-1] = min(widths[-1], room)
    lines = []
    for row in [header, *rows]:
        cells = []
        for c, w in zip(row, widths, strict=True):
            text = str(c)
            if len(text) > w:
                text = text[: w - 1] + "…"
            cells.append(text.rjust(w) if _numeric(text) or text == "-" else text.ljust(w))
        lines.append(("  " + "  ".join(cells)).rstrip())
    return lines


def _wrap(text: str, indent: str = "", width: int = 80) -> list[str]:
    return textwrap.wrap(
        text, width, initial_indent=indent, subsequent_indent=indent + "    ",
        break_on_hyphens=False,
    )  # fmt: skip


def _numeric(text: str) -> bool:
    return bool(text) and (text[0].isdigit() or (text[0] == "-" and text[1:2].isdigit()))


def _interval(low: int, high: int) -> str:
    return f"{low}-{high}"


def rate_rows(report: SLOReport) -> list[list[str]]:
    episodes = report.backtest.by_rule()
    return [
        [rate.slo, rate.alert, str(len(episodes.get(rate.key, ()))), str(rate.pages),
         f"{rate.per_week:.2f}"]
        for rate in report.forecast.rates
    ]  # fmt: skip


def _firing(report: SLOReport, key: str) -> str:
    seconds = int(report.backtest.firing_time(key).total_seconds())
    return format_duration(seconds) if seconds else "0m"


def to_text(report: SLOReport, tz: str, findings: Sequence[Finding] = ()) -> str:
    """A plain-text report that fits 80 columns."""
    bt, fc = report.backtest, report.forecast
    days = (bt.until - bt.since).total_seconds() / 86400
    lines = _wrap(
        f"Backtest: {_when(bt.since, tz)} to {_when(bt.until, tz)} ({tz}), {days:.1f} days, "
        f"evaluated every {format_duration(bt.interval)}"
    )
    by_rule = bt.by_rule()
    rates = {r.key: r for r in fc.rates}
    slos = {r.slo.key: r.slo for r in bt.rules}
    for key, slo in slos.items():
        lines += ["", f"SLO {key}: {slo.objective * 100:.6g}% over {format_duration(slo.window)}"]
        rows = []
        for r in (r for r in bt.rules if r.slo.key == key):
            rate = rates.get(r.key)
            rows.append(
                [str(len(by_rule[r.key])), _firing(report, r.key),
                 str(rate.pages) if rate else "-", f"{rate.per_week:.2f}" if rate else "-",
                 r.alert]
            )  # fmt: skip
        lines += _grid(rows, ["Episodes", "Firing", "Pages", "Per week", "Alert"])
    lines += ["", "Pages the backtest sends through the rota:"]
    if report.pages:
        rows = [
            [_when(p.at, tz), _who(p.user),
             format_duration(int((p.resolved_at - p.at).total_seconds()) or 60)
             if p.resolved_at else "open",
             (p.title or "").split(" (")[0]]
            for p in report.pages
        ]  # fmt: skip
        lines += _grid(rows, ["Paged", "Who", "For", "Alert"])
    else:
        lines.append("  none")
    lines.append("")
    lines += _wrap(
        f"Forecast for EscalationPolicy {fc.policy!r}, {_when(fc.since, tz)} to "
        f"{_when(fc.until, tz)}: {fc.per_week:.2f} pages a week. Shifts (the first to be "
        f"paged), pages expected, 90% interval, chance of more than {fc.max_pages}:"
    )
    rows = [
        [_when(s.start, tz), _when(s.end, tz), f"{s.expected:.2f}", _interval(s.low, s.high),
         f"{s.p_over:.0%}", _who(s.user)]
        for s in fc.shifts
    ]  # fmt: skip
    lines += _grid(rows, ["Start", "End", "Pages", "90%", f">{fc.max_pages}", "Who"])
    lines += ["People:"]
    rows = [
        [p.user.name, str(p.shifts), f"{p.hours:.0f}", f"{p.expected:.2f}",
         _interval(p.low, p.high)]
        for p in fc.people
    ]  # fmt: skip
    lines += _grid(rows, ["Who", "Shifts", "Hours", "Pages", "90%"])
    lines += ["", "Findings:" if findings else "Findings: none"]
    for f in findings:
        lines += _wrap(f.to_text(), "  ")
    return "\n".join(lines) + "\n"


def to_dict(report: SLOReport, findings: Sequence[Finding] = ()) -> dict[str, Any]:
    """Plain data: instants as ISO 8601 UTC, numbers as numbers."""
    bt, fc = report.backtest, report.forecast
    return {
        "history": {
            "since": _iso(bt.since),
            "until": _iso(bt.until),
            "interval_seconds": bt.interval,
            "evaluations": bt.evaluations,
        },
        "rules": [
            {
                "slo": r.slo.key,
                "alert": r.alert,
                "severity": r.severity,
                "page": r.page,
                "episodes": [
                    {"pending": _iso(e.pending_at), "start": _iso(e.start), "end": _iso(e.end)}
                    for e in bt.by_rule()[r.key]
                ],
            }
            for r in bt.rules
        ],
        "pages": [
            {
                "at": _iso(p.at),
                "user": p.user.email if isinstance(p.user, User) else p.user,
                "service": p.service,
                "policy": p.policy,
                "title": p.title,
                "resolved_at": _iso(p.resolved_at),
                "id": p.id,
            }
            for p in report.pages
        ],
        "forecast": {
            "policy": fc.policy,
            "since": _iso(fc.since),
            "until": _iso(fc.until),
            "max_pages": fc.max_pages,
            "pages_per_week": round(fc.per_week, 6),
            "rates": [
                {
                    "slo": r.slo,
                    "alert": r.alert,
                    "pages": r.pages,
                    "hours": round(r.hours, 6),
                    "per_week": round(r.per_week, 6),
                }
                for r in fc.rates
            ],
            "shifts": [
                {
                    "user": s.user.email if s.user else None,
                    "start": _iso(s.start),
                    "end": _iso(s.end),
                    "expected": round(s.expected, 6),
                    "low": s.low,
                    "high": s.high,
                    "p_over": round(s.p_over, 6),
                }
                for s in fc.shifts
            ],
            "people": [
                {
                    "user": p.user.email,
                    "name": p.user.name,
                    "shifts": p.shifts,
                    "hours": round(p.hours, 6),
                    "expected": round(p.expected, 6),
                    "low": p.low,
                    "high": p.high,
                }
                for p in fc.people
            ],
        },
        "findings": [f.to_dict() for f in findings],
    }


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: a leading ``= + - @`` (or tab, return) is quoted
    with ``'`` unless the cell is a number."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def to_csv(report: SLOReport) -> str:
    """One row per shift and per person: ``kind,name,email,start,end,hours,expected,low,high,
    p_over``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["kind", "name", "email", "start", "end", "hours", "expected", "low", "high", "p_over"]
    )
    for s in report.forecast.shifts:
        writer.writerow(
            [
                safe_cell(c)
                for c in (
                    "shift",
                    _who(s.user),
                    s.user.email if s.user else "",
                    _iso(s.start),
                    _iso(s.end),
                    f"{s.hours:.2f}",
                    f"{s.expected:.4f}",
                    s.low,
                    s.high,
                    f"{s.p_over:.4f}",
                )
            ]
        )
    for p in report.forecast.people:
        writer.writerow(
            [
                safe_cell(c)
                for c in (
                    "person",
                    p.user.name,
                    p.user.email,
                    _iso(report.forecast.since),
                    _iso(report.forecast.until),
                    f"{p.hours:.2f}",
                    f"{p.expected:.4f}",
                    p.low,
                    p.high,
                    "",
                )
            ]
        )
    return out.getvalue()


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:16px;color:#222;max-width:60em}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.4em}
.scroll{overflow-x:auto}
table{border-collapse:collapse;font-size:.85em}
th,td{border:1px solid #ccc;padding:3px 6px;text-align:right}
th:first-child,td:first-child{text-align:left}
th{background:#f3f3f3}
svg{max-width:100%;height:auto}
svg text{font-size:11px;fill:#333}
.busy{background:#fde2e1}
"""


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], busy: Sequence[bool] = ()) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = []
    for i, row in enumerate(rows):
        cls = ' class="busy"' if i < len(busy) and busy[i] else ""
        body.append(f"<tr{cls}>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>")
    return f'<div class="scroll"><table><tr>{head}</tr>{"".join(body)}</table></div>'


def _people_svg(report: SLOReport) -> str:
    people = report.forecast.people
    if not people:
        return ""
    top = max(max(p.high, 1) for p in people)
    width, row, label = 480, 22, 130
    scale = (width - label - 40) / top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {row * len(people) + 10}" '
        f'role="img" aria-label="Expected pages per person with 90% interval">'
    ]
    for i, p in enumerate(people):
        y = 5 + i * row
        parts.append(f'<text x="0" y="{y + 14}">{escape(p.user.name)}</text>')
        parts.append(
            f'<rect x="{label}" y="{y + 3}" width="{p.expected * scale:.1f}" height="14" '
            f'fill="#4e79a7"><title>{p.expected:.2f} pages</title></rect>'
        )
        parts.append(
            f'<line x1="{label + p.low * scale:.1f}" x2="{label + p.high * scale:.1f}" '
            f'y1="{y + 10}" y2="{y + 10}" stroke="#222" stroke-width="2"/>'
        )
        parts.append(
            f'<text x="{label + p.high * scale + 4:.1f}" y="{y + 14}">{p.expected:.1f} '
            f"({p.low}-{p.high})</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def to_html(report: SLOReport, tz: str, findings: Sequence[Finding] = ()) -> str:
    """One self-contained page: inline CSS and SVG, no script, no fetches."""
    bt, fc = report.backtest, report.forecast
    pages_rows = [
        [_when(p.at, tz), _who(p.user), p.title or "", _when(p.resolved_at, tz)]
        for p in report.pages
    ]
    shift_rows = [
        [
            _when(s.start, tz),
            _when(s.end, tz),
            _who(s.user),
            f"{s.expected:.2f}",
            _interval(s.low, s.high),
            f"{s.p_over:.0%}",
        ]
        for s in fc.shifts
    ]
    people_rows = [
        [
            p.user.name,
            str(p.shifts),
            f"{p.hours:.0f}",
            f"{p.expected:.2f}",
            _interval(p.low, p.high),
        ]
        for p in fc.people
    ]
    finding_items = "".join(f"<li>{escape(f.to_text())}</li>" for f in findings) or "<li>none</li>"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>SLO forecast: {escape(fc.policy)}</title><style>{CSS}</style></head><body>"
        f"<h1>SLO forecast: {escape(fc.policy)}</h1>"
        f"<p>Backtest {escape(_when(bt.since, tz))} to {escape(_when(bt.until, tz))} ({escape(tz)}), "
        f"evaluated every {format_duration(bt.interval)}. Forecast {escape(_when(fc.since, tz))} "
        f"to {escape(_when(fc.until, tz))}: {fc.per_week:.2f} pages a week.</p>"
        "<h2>Paging alerts</h2>"
        + _table(["SLO", "Alert", "Episodes", "Pages", "Per week"], rate_rows(report))
        + "<h2>Pages the backtest sends through the rota</h2>"
        + _table(["Paged", "Who", "Alert", "Resolved"], pages_rows)
        + "<h2>Expected pages per person (90% interval)</h2>"
        + _people_svg(report)
        + _table(["Who", "Shifts", "Hours", "Pages", "90%"], people_rows)
        + f"<h2>Shifts (more than {fc.max_pages} expected are marked)</h2>"
        + _table(
            ["Start", "End", "Who", "Pages", "90%", f"P(>{fc.max_pages})"],
            shift_rows,
            [s.expected > fc.max_pages for s in fc.shifts],
        )
        + f"<h2>Findings</h2><ul>{finding_items}</ul></body></html>\n"
    )


def slo_findings(
    plan: Any,
    report: SLOReport,
    *,
    incident: Any = None,
    overrides: Any = None,
    config: Any = None,
) -> tuple[Finding, ...]:
    """The findings that concern a forecast: OCP9xx over the forecast window (with the
    incident rules when ``incident`` is given) and the page rules (OCP501-OCP503) on the pages
    the backtest sends, over the history window."""
    from oncall_planner.checks import CheckConfig, check
    from oncall_planner.checks._engine import sort_key

    base = config or CheckConfig()
    fc, bt = report.forecast, report.backtest
    out: list[Finding] = []
    for codes, since, until, extra in (
        (
            ("OCP901", "OCP902", "OCP903", "OCP904"),
            fc.since,
            fc.until,
            {"incident": incident, "forecast": fc},
        ),
        (("OCP501", "OCP502", "OCP503"), bt.since, bt.until, {"pages": report.pages}),
    ):
        chosen = [c for c in codes if base.enabled(c)]
        if not chosen:
            continue
        narrowed = CheckConfig(select=chosen, thresholds=base.thresholds, severity=base.severity)
        out.extend(check(plan, since, until, config=narrowed, overrides=overrides, **extra))
    return tuple(sorted(out, key=sort_key))


__all__ = ["rate_rows", "safe_cell", "slo_findings", "to_csv", "to_dict", "to_html", "to_text"]
