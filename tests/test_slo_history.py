"""SLI history files: CSV and Prometheus API JSON, and their errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oncall_planner.errors import InputReadError
from oncall_planner.ingest.slo import counter_selector, load_sli_history


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_with_iso_times_a_gap_and_the_bad_side(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "h.csv",
        "timestamp,bad,total\n2025-03-03T00:00:00Z,0,10\n2025-03-03T00:01:00Z,,20\n"
        "2025-03-03T00:02:00+00:00,1,NaN\n",
    )
    history = load_sli_history(path)
    assert history.kind == "bad"
    (bad,), (total,) = history.bad, history.total
    assert bad.times.tolist() == [1740960000000, 1740960120000]  # the empty cell is no sample
    assert total.values.tolist() == [10.0, 20.0]


def matrix(*series: tuple[dict[str, str], list[tuple[float, str]]]) -> dict[str, object]:
    return {
        "status": "success",
        "data": {
            "resultType": "matrix",
            "result": [{"metric": m, "values": [list(v) for v in values]} for m, values in series],
        },
    }


def test_one_response_with_an_sli_label(tmp_path: Path) -> None:
    doc = matrix(
        ({"sli": "good", "job": "a"}, [(60, "1"), (120, "2")]),
        ({"sli": "total", "job": "a"}, [(60, "1"), (120, "3")]),
        ({"sli": "total", "job": "b"}, [(60, "5"), (120, "6")]),
    )
    history = load_sli_history(write(tmp_path, "h.json", json.dumps(doc)))
    assert [s.name for s in history.total] == ['{job="a"}', '{job="b"}']
    assert len(history.good) == 1


def test_a_series_without_the_label_is_an_error_naming_it(tmp_path: Path) -> None:
    doc = matrix(({"job": "a"}, [(60, "1")]))
    with pytest.raises(InputReadError, match=r'series \{job="a"\} has no label sli="good"'):
        load_sli_history(write(tmp_path, "h.json", json.dumps(doc)))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("time,good,total\n1,1,1\n", "line 1: the header must name timestamp, good (or bad)"),
        ("timestamp,good,total\n1,1\n", "row 1 (line 2): 2 cells, the header has 3"),
        ("timestamp,good,total\nsoon,1,1\n", "timestamp must be POSIX seconds or an ISO 8601"),
        ("timestamp,good,total\n2025-03-03T00:00,1,1\n", "has no UTC offset"),
        ("timestamp,good,total\n1,-1,1\n", "good must be a counter value ≥ 0"),
        ("timestamp,good,total\n2,1,1\n1,2,2\n", "timestamps must increase"),
        ("{not json", "not valid JSON"),
    ],
)
def test_history_errors_name_the_file_and_row(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputReadError) as info:
        load_sli_history(write(tmp_path, "h.csv", text))
    assert message in str(info.value) and str(tmp_path / "h.csv") in str(info.value)


def test_the_counter_inside_an_sli_query() -> None:
    assert counter_selector('sum(rate(http_requests_total{code!~"5.."}[5m]))') == (
        'http_requests_total{code!~"5.."}'
    )
    assert counter_selector("sum(rate(x_total[{{.window}}]))") == "x_total"
    with pytest.raises(InputReadError, match="save the history with query_range instead"):
        counter_selector("sum(rate(a[5m])) - sum(rate(b[5m]))")
