"""Writes examples/slo/checkout-history.csv: two weeks of the checkout service's request
counters, one sample a minute, made up and deterministic (a fixed seed).

The counters are ``http_requests_total`` split into good (not 5xx) and all requests, as
Prometheus would scrape them. Traffic follows the day (about 40 to 200 requests a minute, busiest
in the New York afternoon); about 0.02% of requests fail, well inside the 0.05% budget of the
99.95% SLO. Into that go:

- an incident: Tuesday 11 March 2025, 14:20 to 15:05 New York time, 4% of requests fail;
- a shorter one at night: Thursday 6 March, 02:30 to 02:55, 2% fail;
- a three-minute spike on Saturday 8 March at 10:00 (10% fail), which the 1-hour window
  of the page alert ignores;
- a slow burn on Thursday 13 March, 0.25% failing all day: five times the budget rate, enough
  for the ticket alert but not for a page.

Run it again to rewrite the file (it gives the same bytes): ``python examples/slo/synthetic_history.py``.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from pathlib import Path
from zoneinfo import ZoneInfo

NEW_YORK = ZoneInfo("America/New_York")
START = dt.datetime(2025, 3, 3, tzinfo=NEW_YORK)  # Monday 00:00 in New York
END = dt.datetime(2025, 3, 17, tzinfo=NEW_YORK)  # two weeks on (one hour shorter: DST begins)
OUT = Path(__file__).resolve().parent / "checkout-history.csv"

EVENTS = (  # (start, minutes, share of requests that fail), New York time
    (dt.datetime(2025, 3, 11, 14, 20, tzinfo=NEW_YORK), 45, 0.04),
    (dt.datetime(2025, 3, 6, 2, 30, tzinfo=NEW_YORK), 25, 0.02),
    (dt.datetime(2025, 3, 8, 10, 0, tzinfo=NEW_YORK), 3, 0.10),
    (dt.datetime(2025, 3, 13, 0, 0, tzinfo=NEW_YORK), 24 * 60, 0.0025),
)
BASE_ERROR_RATE = 0.0002


def error_rate(at: dt.datetime) -> float:
    for start, minutes, share in EVENTS:
        if start <= at < start + dt.timedelta(minutes=minutes):
            return share
    return BASE_ERROR_RATE


def rows() -> list[tuple[int, int, int]]:
    rng = random.Random(20250303)
    good = total = 0
    out = []
    first = int(START.timestamp())
    elapsed = END.astimezone(dt.timezone.utc) - START.astimezone(dt.timezone.utc)
    for minute in range(int(elapsed.total_seconds()) // 60):
        stamp = first + minute * 60
        at = dt.datetime.fromtimestamp(stamp, NEW_YORK)
        hour = at.hour + at.minute / 60
        mean = 120 + 80 * math.sin(2 * math.pi * (hour - 9) / 24)
        requests = max(0, round(mean + rng.gauss(0, math.sqrt(mean))))
        failed = min(requests, math.floor(requests * error_rate(at) + rng.random()))
        total += requests
        good += requests - failed
        out.append((stamp, good, total))
    return out


def main() -> None:
    lines = ["timestamp,good,total", *(f"{t},{g},{n}" for t, g, n in rows())]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
