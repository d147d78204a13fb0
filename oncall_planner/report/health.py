"""The health report as text, Markdown, JSON and CSV.

Every format shows a number the input cannot give as "not available from this input" (JSON:
``{"unavailable": "<reason>"}``), never as 0 or an empty cell, and lists the reasons. The same
report gives byte-identical output.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from oncall_planner.health.hours import BUCKETS, DAY_NAMES
from oncall_planner.health.report import (
    NOT_AVAILABLE,
    HealthReport,
    PersonHealth,
    Unavailable,
)
from oncall_planner.report.csvfile import csv_text
from oncall_planner.report.text import md_escape
from oncall_planner.textutil import json_safe, printable
from oncall_planner.timeutil import zone

#: Decimal places kept for hours, rates and ratios in JSON and CSV.
PLACES = 4
NA = "n/a"


def _r(value: float) -> float:
    return round(value, PLACES) + 0.0


def _hours(seconds: float) -> float:
    return _r(seconds / 3600)


def _data(value: Any, convert: Any = None) -> Any:
    """Plain data; :class:`Unavailable` as ``{"unavailable": reason}``."""
    if isinstance(value, Unavailable):
        return {"unavailable": value.reason}
    if convert is not None:
        return convert(value)
    if isinstance(value, float):
        return _r(value)
    if isinstance(value, Mapping):
        return {str(k): _data(v) for k, v in value.items()}
    return value


def _iso(value: dt.datetime) -> str:
    return value.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")


def person_dict(p: PersonHealth) -> dict[str, Any]:
    """One person's numbers as plain data."""
    stretch = p.longest_stretch
    return {
        "name": p.user.name,
        "email": p.user.email,
        "rostered": p.rostered,
        "time_zone": p.time_zone,
        "time_zone_from": p.zone_source,
        "holiday_region": p.holiday_region,
        "holiday_region_from": p.region_source,
        "on_call_hours": _hours(p.on_call_seconds),
        "level_1_hours": _hours(p.level_1_seconds),
        "level_2_plus_hours": _hours(p.level_2_plus_seconds),
        "business_hours": _hours(p.hours_by_bucket["business"]),
        "off_hours": _hours(p.hours_by_bucket["off"]),
        "sleep_hours": _hours(p.hours_by_bucket["sleep"]),
        "outside_business_hours": _hours(p.outside_business_seconds),
        "weekend_hours": _hours(p.weekend_seconds),
        "holiday_hours": _hours(p.holiday_seconds),
        "longest_stretch": None
        if stretch is None
        else {
            "start": _iso(stretch.start),
            "end": _iso(stretch.end),
            "hours": _hours(p.longest_stretch_seconds),
        },
        "periods": [
            {
                "period": period.label,
                "start": _iso(period.start),
                "end": _iso(period.end),
                "on_call_hours": _hours(period.on_call_seconds),
                "outside_business_hours": _hours(period.outside_business_seconds),
            }
            for period in p.periods
        ],
        "interruptions": _data(p.interruptions),
        "interruptions_by_bucket": _data(p.interruptions_by_bucket),
        "interruptions_per_on_call_hour": _data(p.interruption_rate),
        "interruptions_from": p.interruption_source or None,
        "notifications_by_channel": _data(p.notifications),
        "heat_map": _data(
            p.heat_map, lambda grid: {DAY_NAMES[d]: list(row) for d, row in enumerate(grid)}
        ),
        "incidents": _data(p.incidents),
        "engaged_seconds": _data(p.engaged_seconds),
        "mtta_seconds": _data(p.mtta_seconds),
        "mttr_seconds": _data(p.mttr_seconds),
        "pay": None
        if p.pay is None
        else {
            "currency": p.pay.currency,
            "total": p.pay.total,
            "level_1": p.pay.level_1,
            "level_2_plus": p.pay.level_2_plus,
            "hours": dict(p.pay.hours),
            "amounts": dict(p.pay.amounts),
        },
    }


def report_dict(report: HealthReport) -> dict[str, Any]:
    """The whole report as plain data (what :func:`to_json` writes)."""
    cfg = report.config
    inc = report.incidents
    history = report.history
    post = report.postmortems
    return {
        "window": {
            "since": _iso(report.since),
            "until": _iso(report.until),
            "time_zone": report.time_zone,
            "cap_period": cfg.period,
            "periods": [
                {"period": label, "start": _iso(a), "end": _iso(b)}
                for label, a, b in report.periods
            ],
        },
        "definitions": {
            "hours_preset": cfg.hours.name,
            "hours": cfg.hours.describe(),
            "precedence": list(cfg.hours.precedence),
            "interruptions_counted_from": cfg.hours.counting,
            "merge_seconds": cfg.merge_seconds,
            "severity_field": cfg.severity_field,
            "pay": None
            if cfg.pay is None
            else {
                "currency": cfg.pay.currency,
                "level_1": cfg.pay.level_1,
                "level_2_plus": cfg.pay.level_2_plus,
                "off_hours": cfg.pay.off_hours,
                "weekend": cfg.pay.weekend,
                "holiday": cfg.pay.holiday,
            },
        },
        "people": [person_dict(p) for p in report.people],
        "teams": [
            {
                "name": t.name,
                "members": list(t.members),
                "mean_on_call_hours": _r(t.mean_hours),
                "equity_score": _r(t.equity_score),
                "indices": {k: _r(v) for k, v in _indices(t).items()},
                "outliers": [{"email": e, "times_average": _r(x)} for e, x in t.outliers],
                "interruptions": _data(t.interruptions),
            }
            for t in report.teams
        ],
        "incidents": {
            "count": inc.count,
            "by_urgency": _data(inc.by_urgency),
            "by_severity": _data(inc.by_severity),
            "mtta_seconds": _data(inc.mtta_seconds),
            "acknowledged": inc.acknowledged,
            "mttr_seconds": _data(inc.mttr_seconds),
            "resolved": inc.resolved,
            "mttd_seconds": _data(inc.mttd_seconds),
            "with_alert_times": inc.detected,
            "alert_before_incident": inc.detected_early,
            "noise_ratio": _data(inc.noise_ratio),
            "noise": inc.noise,
            "noise_known": inc.noise_known,
            "interruptions": _data(inc.interruptions),
        },
        "weeks": [
            {
                "week_of": w.start.isoformat(),
                "incidents": w.incidents,
                "interruptions": _data(w.interruptions),
                "mtta_seconds": _data(w.mtta_seconds),
                "mttr_seconds": _data(w.mttr_seconds),
            }
            for w in report.weeks
        ],
        "postmortems": None
        if post is None
        else {
            "as_of": post.today.isoformat(),
            "count": len(post.postmortems),
            "mean_time_to_detect_seconds": None
            if post.mean_time_to_detect is None
            else post.mean_time_to_detect.total_seconds(),
            "mean_time_to_resolve_seconds": None
            if post.mean_time_to_resolve is None
            else post.mean_time_to_resolve.total_seconds(),
            "action_items": _action_dict(post.actions),
            "by_owner": {k: _action_dict(v) for k, v in post.by_owner.items()},
            "by_priority": {k: _action_dict(v) for k, v in post.by_priority.items()},
            "postmortems": [
                {
                    "file": pm.source,
                    "title": pm.title,
                    "date": pm.date.isoformat(),
                    "severity": pm.severity,
                    "duration_seconds": None
                    if pm.duration is None
                    else pm.duration.total_seconds(),
                    "time_to_detect_seconds": None
                    if pm.time_to_detect is None
                    else pm.time_to_detect.total_seconds(),
                    "time_to_resolve_seconds": None
                    if pm.time_to_resolve is None
                    else pm.time_to_resolve.total_seconds(),
                    "action_items": len(pm.actions),
                }
                for pm in post.postmortems
            ],
            "overdue": [
                {
                    "file": pm.source,
                    "line": a.line,
                    "action": a.action,
                    "owner": a.owner,
                    "priority": a.priority,
                    "due": None if a.due is None else a.due.isoformat(),
                    "status": a.status,
                }
                for pm, a in post.overdue
            ],
        },
        "findings": [f.to_dict() for f in report.findings],
        "history": {
            "sources": list(history.sources),
            "kinds": list(history.kinds),
            "skipped": [
                {"source": s.source, "record": s.record, "reason": s.reason}
                for s in history.skipped
            ],
            "warnings": list(history.warnings),
            "unattributed_interruptions": dict(report.unattributed),
            "incidents_outside_window": report.outside_window,
            "incidents_without_time": list(report.undated),
        },
    }


def _action_dict(counts: Any) -> dict[str, Any]:
    rate = counts.completion_rate
    return {
        "total": counts.total,
        "done": counts.done,
        "overdue": counts.overdue,
        "completion_rate": None if rate is None else _r(rate),
    }


def _indices(team: Any) -> dict[str, float]:
    ix = team.indices
    return {
        "balance": ix.balance,
        "one_minus_cv": ix.one_minus_cv,
        "gini": ix.gini,
        "max_over_mean": ix.max_over_mean,
    }


def to_json(report: HealthReport) -> str:
    """The report as JSON with sorted keys and a final newline."""
    return (
        json_safe(json.dumps(report_dict(report), indent=2, sort_keys=True, ensure_ascii=False))
        + "\n"
    )


# --------------------------------------------------------------------------------------------
# CSV: one tidy table (section, subject, period, key, value)


CSV_COLUMNS = ("section", "subject", "period", "key", "value")


def _cell(value: Any) -> Any:
    if isinstance(value, Unavailable):
        return NOT_AVAILABLE
    if isinstance(value, float):
        return _r(value)
    return value


def csv_rows(report: HealthReport) -> list[tuple[Any, ...]]:
    """The rows of :func:`to_csv`, header first."""
    rows: list[tuple[Any, ...]] = [CSV_COLUMNS]
    for p in report.people:
        d = person_dict(p)
        for key in (
            "on_call_hours",
            "level_1_hours",
            "level_2_plus_hours",
            "business_hours",
            "off_hours",
            "sleep_hours",
            "outside_business_hours",
            "weekend_hours",
            "holiday_hours",
        ):
            rows.append(("person", p.user.email, "", key, d[key]))
        rows.append(
            ("person", p.user.email, "", "longest_stretch_hours", _hours(p.longest_stretch_seconds))
        )
        rows.append(("person", p.user.email, "", "interruptions", _cell(p.interruptions)))
        for bucket in BUCKETS:
            value = (
                p.interruptions_by_bucket
                if isinstance(p.interruptions_by_bucket, Unavailable)
                else p.interruptions_by_bucket[bucket]
            )
            rows.append(("person", p.user.email, "", f"{bucket}_interruptions", _cell(value)))
        rows.append(
            (
                "person",
                p.user.email,
                "",
                "interruptions_per_on_call_hour",
                _cell(p.interruption_rate),
            )
        )
        if isinstance(p.notifications, Unavailable):
            rows.append(("person", p.user.email, "", "notifications", NOT_AVAILABLE))
        else:
            for method, n in p.notifications.items():
                rows.append(("person", p.user.email, "", f"notifications_{method}", n))
        answers: tuple[tuple[str, Any], ...] = (
            ("incidents", p.incidents),
            ("engaged_seconds", p.engaged_seconds),
            ("mtta_seconds", p.mtta_seconds),
            ("mttr_seconds", p.mttr_seconds),
        )
        for key, answer in answers:
            rows.append(("person", p.user.email, "", key, _cell(answer)))
        if p.pay is not None:
            rows.append(("pay", p.user.email, "", f"total_{p.pay.currency}", p.pay.total))
            rows.append(("pay", p.user.email, "", "level_1", p.pay.level_1))
            rows.append(("pay", p.user.email, "", "level_2_plus", p.pay.level_2_plus))
        for period in p.periods:
            rows.append(
                (
                    "period",
                    p.user.email,
                    period.label,
                    "on_call_hours",
                    _hours(period.on_call_seconds),
                )
            )
            rows.append(
                (
                    "period",
                    p.user.email,
                    period.label,
                    "outside_business_hours",
                    _hours(period.outside_business_seconds),
                )
            )
        if isinstance(p.heat_map, Unavailable):
            rows.append(("heatmap", p.user.email, "", "interruptions", NOT_AVAILABLE))
        else:
            for d_i, row in enumerate(p.heat_map):
                for hour, n in enumerate(row):
                    if n:
                        rows.append(("heatmap", p.user.email, DAY_NAMES[d_i], f"{hour:02d}:00", n))
    for t in report.teams:
        rows.append(("team", t.name, "", "equity_score", _r(t.equity_score)))
        rows.append(("team", t.name, "", "mean_on_call_hours", _r(t.mean_hours)))
        for name, index in _indices(t).items():
            rows.append(("team", t.name, "", name, _r(index)))
        rows.append(("team", t.name, "", "interruptions", _cell(t.interruptions)))
    inc = report.incidents
    rows.append(("incidents", "all", "", "count", inc.count))
    for label, by in (("urgency", inc.by_urgency), ("severity", inc.by_severity)):
        if isinstance(by, Unavailable):
            rows.append(("incidents", "all", "", label, NOT_AVAILABLE))
        else:
            for k, n in by.items():
                rows.append(("incidents", "all", "", f"{label}:{k}", n))
    totals: tuple[tuple[str, Any], ...] = (
        ("mtta_seconds", inc.mtta_seconds),
        ("mttr_seconds", inc.mttr_seconds),
        ("mttd_seconds", inc.mttd_seconds),
        ("noise_ratio", inc.noise_ratio),
        ("interruptions", inc.interruptions),
    )
    for key, answer in totals:
        rows.append(("incidents", "all", "", key, _cell(answer)))
    for w in report.weeks:
        week = w.start.isoformat()
        rows.append(("trend", "all", week, "incidents", w.incidents))
        rows.append(("trend", "all", week, "interruptions", _cell(w.interruptions)))
        rows.append(("trend", "all", week, "mtta_seconds", _cell(w.mtta_seconds)))
        rows.append(("trend", "all", week, "mttr_seconds", _cell(w.mttr_seconds)))
    post = report.postmortems
    if post is not None:
        rows.append(("postmortems", "all", "", "count", len(post.postmortems)))
        rate = post.actions.completion_rate
        rows.append(("postmortems", "all", "", "completion_rate", "" if rate is None else _r(rate)))
        for group, table in (("owner", post.by_owner), ("priority", post.by_priority)):
            for name, action_counts in table.items():
                for key in ("total", "done", "overdue"):
                    rows.append(
                        ("postmortems", f"{group}:{name}", "", key, getattr(action_counts, key))
                    )
    for f in report.findings:
        rows.append(("finding", f.subject, f.severity, f.code, f.message))
    for skipped in report.history.skipped:
        rows.append(("skipped", skipped.source, "", skipped.record, skipped.reason))
    for label, n in report.unattributed.items():
        rows.append(("unattributed", label, "", "interruptions", n))
    return rows


def to_csv(report: HealthReport) -> str:
    """The report as one tidy CSV table: section, subject, period, key, value, through the
    library's one formula-safe CSV writer (:mod:`oncall_planner.report.csvfile`)."""
    header, *rows = csv_rows(report)
    return csv_text(header, rows)


# --------------------------------------------------------------------------------------------
# Text and Markdown


def _fmt_h(seconds: float) -> str:
    h = seconds / 3600
    return f"{h:.0f}" if abs(h - round(h)) < 0.05 else f"{h:.1f}"


def _fmt(value: Any, kind: str = "") -> str:
    if isinstance(value, Unavailable):
        return NA
    if kind == "min":
        return f"{value / 60:.1f}m"
    if kind == "rate":
        return f"{value:.2f}"
    if kind == "pct":
        return f"{value:.0%}"
    if kind == "h":
        return _fmt_h(value)
    return str(value)


def _bucket(p: PersonHealth, bucket: str) -> str:
    if isinstance(p.interruptions_by_bucket, Unavailable):
        return NA
    return str(p.interruptions_by_bucket[bucket])


def _people_rows(report: HealthReport) -> tuple[list[str], list[list[str]]]:
    head = [
        "Person",
        "On call",
        "L1",
        "L2+",
        "Outside",
        "Intr",
        "Sleep",
        "Per h",
        "MTTA",
        "Engaged",
        "Pay",
    ]
    rows = []
    for p in report.people:
        pay = "" if p.pay is None else f"{p.pay.total:,.0f}"
        rows.append(
            [
                p.user.name,
                _fmt_h(p.on_call_seconds),
                _fmt_h(p.level_1_seconds),
                _fmt_h(p.level_2_plus_seconds),
                _fmt_h(p.outside_business_seconds),
                _fmt(p.interruptions),
                _bucket(p, "sleep"),
                _fmt(p.interruption_rate, "rate"),
                _fmt(p.mtta_seconds, "min"),
                _fmt(p.engaged_seconds, "h")
                + ("h" if not isinstance(p.engaged_seconds, Unavailable) else ""),
                pay,
            ]
        )
    return head, rows


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], first_width: int = 18) -> list[str]:
    cells = [[c[:first_width] if i == 0 else c for i, c in enumerate(r)] for r in [head, *rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(head))]
    out = []
    for r in cells:
        parts = [r[0].ljust(widths[0])] + [c.rjust(widths[i]) for i, c in enumerate(r) if i]
        out.append(("  " + " ".join(parts)).rstrip())
    return out


def _reasons(report: HealthReport) -> list[str]:
    """Each distinct reason a number is not available, with the numbers it concerns."""
    found: dict[str, list[str]] = {}

    def note(what: str, value: Any) -> None:
        if isinstance(value, Unavailable):
            found.setdefault(value.reason, [])
            if what not in found[value.reason]:
                found[value.reason].append(what)

    for p in report.people:
        note("interruptions", p.interruptions)
        note("interruptions by kind of hour", p.interruptions_by_bucket)
        note("interruptions per on-call hour", p.interruption_rate)
        note("notifications by channel", p.notifications)
        note("heat map", p.heat_map)
        note("incidents per person", p.incidents)
        note("engaged time", p.engaged_seconds)
        note("MTTA per person", p.mtta_seconds)
        note("MTTR per person", p.mttr_seconds)
    inc = report.incidents
    note("incidents by urgency", inc.by_urgency)
    note("incidents by severity", inc.by_severity)
    note("MTTA", inc.mtta_seconds)
    note("MTTR", inc.mttr_seconds)
    note("MTTD", inc.mttd_seconds)
    note("alert noise ratio", inc.noise_ratio)
    return [f"{', '.join(whats)}: {reason}" for reason, whats in found.items()]


def _counts_text(counts: Any) -> str:
    if isinstance(counts, Unavailable):
        return NOT_AVAILABLE
    return ", ".join(f"{k} {v}" for k, v in counts.items()) or "none"


def _local(value: dt.datetime, tz: str) -> str:
    return value.astimezone(zone(tz)).strftime("%Y-%m-%d %H:%M %Z")


def _summary_lines(report: HealthReport) -> list[str]:
    cfg = report.config
    hours = cfg.hours.describe()
    history = report.history
    lines = [
        f"Window: {_local(report.since, report.time_zone)} to "
        f"{_local(report.until, report.time_zone)} ({report.time_zone}); caps per "
        f"{cfg.period}",
        f"Hours ({cfg.hours.name}): business {hours['business']}; off {hours['off']}; sleep "
        f"{hours['sleep']}; where they overlap, {' > '.join(cfg.hours.precedence)}",
        f"Interruptions: {cfg.hours.counting}, merged within {cfg.merge_seconds} s",
        f"History: {', '.join(history.kinds) or 'none'} from {len(history.sources)} file(s)",
    ]
    return lines


def _incident_lines(report: HealthReport) -> list[str]:
    inc = report.incidents
    noise = _fmt(inc.noise_ratio, "pct")
    if not isinstance(inc.noise_ratio, Unavailable):
        noise += f" ({inc.noise} of {inc.noise_known} resolved with nobody acting)"
    return [
        f"{inc.count} incident(s) in the window",
        f"By urgency: {_counts_text(inc.by_urgency)}",
        f"By severity: {_counts_text(inc.by_severity)}",
        f"MTTA {_fmt(inc.mtta_seconds, 'min')} over {inc.acknowledged} acknowledged; MTTR "
        f"{_fmt(inc.mttr_seconds, 'min')} over {inc.resolved} resolved; MTTD "
        f"{_fmt(inc.mttd_seconds, 'min')} over {inc.detected} with alert times "
        f"({inc.detected_early} alerted before the incident)",
        f"Alert noise ratio: {noise}",
        f"Interruptions: {_fmt(inc.interruptions)}",
    ]


def _team_lines(report: HealthReport) -> list[str]:
    out = []
    for t in report.teams:
        outliers = ", ".join(f"{e} ({x:.1f}x)" for e, x in t.outliers) or "none"
        out.append(
            f"{t.name}: equity score {t.equity_score:.1f}, mean {t.mean_hours:.0f} h on call, "
            f"balance {t.indices.balance:.2f}, Gini {t.indices.gini:.2f}; outliers: {outliers}"
        )
    return out


def _trend_rows(report: HealthReport) -> tuple[list[str], list[list[str]]]:
    head = ["Week of", "Incidents", "Interruptions", "MTTA", "MTTR"]
    rows = [
        [
            w.start.isoformat(),
            str(w.incidents),
            _fmt(w.interruptions),
            _fmt(w.mtta_seconds, "min"),
            _fmt(w.mttr_seconds, "min"),
        ]
        for w in report.weeks
    ]
    return head, rows


def _postmortem_lines(report: HealthReport) -> list[str]:
    post = report.postmortems
    if post is None:
        return []

    def mins(value: dt.timedelta | None) -> str:
        return NA if value is None else f"{value.total_seconds() / 60:.0f} min"

    rate = post.actions.completion_rate
    lines = [
        f"{len(post.postmortems)} postmortem(s) as of {post.today}: mean time to detect "
        f"{mins(post.mean_time_to_detect)} (over {post.detect_count}), to resolve "
        f"{mins(post.mean_time_to_resolve)} (over {post.resolve_count})",
        f"Action items: {post.actions.done} of {post.actions.total} done"
        + ("" if rate is None else f" ({rate:.0%})")
        + f", {post.actions.overdue} overdue",
    ]
    for group, table in (("owner", post.by_owner), ("priority", post.by_priority)):
        parts = [f"{k} {v.done}/{v.total} done, {v.overdue} overdue" for k, v in table.items()]
        if parts:
            lines.append(f"By {group}: " + "; ".join(parts))
    return lines


#: How many records left out the text, Markdown and HTML reports list one by one; the rest
#: are counted (the JSON and CSV reports list every one).
SHOWN_LEFT_OUT = 20


def _history_lines(report: HealthReport) -> list[str]:
    lines = []
    history = report.history
    for s in history.skipped[:SHOWN_LEFT_OUT]:
        lines.append(f"left out {s}")
    more = len(history.skipped) - SHOWN_LEFT_OUT
    if more > 0:
        lines.append(f"... and {more} more record(s) left out (the JSON and CSV reports list each)")
    for w in history.warnings:
        lines.append(f"warning: {w}")
    for label, n in report.unattributed.items():
        lines.append(f"{n} interruption(s) of {label}, who is not in the plan")
    if report.outside_window:
        lines.append(f"{report.outside_window} incident(s) outside the window")
    return lines


def _wrap(lines: Iterable[str], indent: str = "  ") -> list[str]:
    out: list[str] = []
    for line in lines:
        out += textwrap.wrap(
            line,
            WIDTH,
            initial_indent=indent,
            subsequent_indent=indent + "    ",
            break_on_hyphens=False,
        )
    return out


WIDTH = 80


def to_text(report: HealthReport) -> str:
    """The report as plain text that fits 80 columns."""
    out = ["On-call health report", "", *_wrap(_summary_lines(report), "")]
    out += ["", "People (hours; n/a: not available from this input)"]
    head, rows = _people_rows(report)
    out += _table(head, rows, 16)
    out += ["", "Teams", *_wrap(_team_lines(report))]
    out += ["", "Incidents", *_wrap(_incident_lines(report))]
    out += ["", "Weekly trend"]
    head, rows = _trend_rows(report)
    out += _table(head, rows)
    posts = _postmortem_lines(report)
    if posts:
        out += ["", "Postmortems", *_wrap(posts)]
    out += ["", "Findings"]
    out += _wrap(f.to_text() for f in report.findings) or ["  none"]
    counts = [
        sum(1 for f in report.findings if f.severity == s) for s in ("error", "warning", "info")
    ]
    out.append(f"  {counts[0]} error(s), {counts[1]} warning(s), {counts[2]} info")
    reasons = _reasons(report)
    if reasons:
        out += ["", "Not available from this input", *_wrap(reasons)]
    extra = _history_lines(report)
    if extra:
        out += ["", "History left out", *_wrap(extra)]
    return printable("\n".join(out) + "\n")


def _md_escape(text: str) -> str:
    """Text as Markdown that reads as written: names, owners and actions come from inputs, and
    must not become links, images fetched from elsewhere, emphasis or HTML (the fairness
    report's :func:`~oncall_planner.report.text.md_escape`), on one line."""
    return md_escape(text.replace("\r\n", " ").replace("\n", " ").replace("\r", " "))


def _md_table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] * len(head)) + "|"]
    out += ["| " + " | ".join(_md_escape(c) for c in r) + " |" for r in rows]
    return out


def to_markdown(report: HealthReport) -> str:
    """The report as Markdown (GitHub tables)."""
    out = ["# On-call health report", ""]
    out += [f"- {_md_escape(line)}" for line in _summary_lines(report)]
    out += ["", "## People", "", "Hours on call; *n/a*: not available from this input.", ""]
    head, rows = _people_rows(report)
    out += _md_table(head, rows)
    out += ["", "## Teams", ""] + [f"- {_md_escape(line)}" for line in _team_lines(report)]
    out += ["", "## Incidents", ""] + [f"- {_md_escape(line)}" for line in _incident_lines(report)]
    out += ["", "## Weekly trend", ""]
    head, rows = _trend_rows(report)
    out += _md_table(head, rows)
    posts = _postmortem_lines(report)
    if posts:
        out += ["", "## Postmortems", ""] + [f"- {_md_escape(line)}" for line in posts]
    out += ["", "## Findings", ""]
    out += [
        f"- `{f.code}` {f.severity} {f.rule}: {_md_escape(f.subject)}: {_md_escape(f.message)}"
        for f in report.findings
    ] or ["None."]
    reasons = _reasons(report)
    if reasons:
        out += ["", "## Not available from this input", ""] + [
            f"- {_md_escape(r)}" for r in reasons
        ]
    extra = _history_lines(report)
    if extra:
        out += ["", "## History left out", ""] + [f"- {_md_escape(line)}" for line in extra]
    return printable("\n".join(out) + "\n")


__all__ = [
    "CSV_COLUMNS",
    "csv_rows",
    "person_dict",
    "report_dict",
    "to_csv",
    "to_json",
    "to_markdown",
    "to_text",
]
