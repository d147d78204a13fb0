"""Hostile SLO specs and SLI history: YAML bombs, deep nesting, huge files, numbers that are not
numbers, and label names Prometheus refuses. Each one is an InputReadError naming the file (or
a ValidationError naming the field), never a hang, a crash or a traceback."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from oncall_planner.errors import InputReadError, ValidationError
from oncall_planner.ingest import slo as ingest
from oncall_planner.ingest.slo import fetch_sli_history, load_sli_history, load_slo_spec
from oncall_planner.ingest.slo import history as ingest_history
from oncall_planner.ingest.slo import prometheus as ingest_prometheus
from oncall_planner.slo import SLI, SLO, BurnRateAlert, BurnWindow, CounterSeries, SLIHistory

REPO = Path(__file__).resolve().parents[1]
ARTICLE = (REPO / "examples" / "slo" / "slo-definition.yaml").read_text(encoding="utf-8")

# Nine levels of ten aliases each: a billion strings once expanded, a few hundred bytes here.
LAUGHS = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9)
)


def write(tmp_path: Path, text: str, name: str = "slo.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("service: checkout", "service: *a8"),
        ('description: "Checkout requests that succeed"', "description: *a8"),
        ("target: 99.95%", "target: *a8"),
        ("window: 30d", "window: *a8"),
        ("    sli:\n", "    sli: *a8\n    unused:\n"),
    ],
)
def test_a_billion_laughs_is_refused_before_it_is_expanded(
    tmp_path: Path, old: str, new: str
) -> None:
    path = write(tmp_path, LAUGHS + ARTICLE.replace(old, new))
    with pytest.raises(InputReadError, match="aliases") as info:
        load_slo_spec(path)
    assert str(info.value).startswith(str(path))


def test_a_few_anchors_and_aliases_are_fine(tmp_path: Path) -> None:
    text = ARTICLE.replace("service: checkout", "common: &svc checkout\nservice: *svc")
    (slo,) = load_slo_spec(write(tmp_path, text)).slos
    assert slo.service == "checkout"


def test_an_alias_that_contains_itself_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputReadError, match="refers to itself"):
        load_slo_spec(write(tmp_path, "service: x\nslos: &loop [*loop]\n"))


@pytest.mark.parametrize(
    "text",
    [
        "service: x\nslos: " + "[" * 100_000 + "]" * 100_000 + "\n",
        "service: x\nslos:\n" + "".join("  " * i + f"- k{i}:\n" for i in range(1, 200)),
    ],
    ids=["flow", "block"],
)
def test_deep_nesting_is_refused(tmp_path: Path, text: str) -> None:
    # ours, or libyaml's own limit on the way
    with pytest.raises(InputReadError, match=r": (nested more than 64|.*maximum nesting depth)"):
        load_slo_spec(write(tmp_path, text))


def test_a_huge_spec_is_refused_without_parsing_it(tmp_path: Path) -> None:
    path = write(tmp_path, ARTICLE + "#" * (ingest.MAX_SPEC_BYTES + 1))
    with pytest.raises(InputReadError, match="larger than"):
        load_slo_spec(path)


def test_a_long_value_is_cut_short_in_the_message(tmp_path: Path) -> None:
    text = ARTICLE.replace("target: 99.95%", "target: [" + ", ".join(["1"] * 5000) + "]")
    with pytest.raises(InputReadError) as info:
        load_slo_spec(write(tmp_path, text))
    assert "slos[0].target: must be a percentage" in str(info.value)
    assert len(str(info.value)) < 400


@pytest.mark.parametrize(("target", "shown"), [(".nan", "nan"), ("NaN%", "'NaN%'")])
def test_a_target_that_is_not_a_number_says_so(tmp_path: Path, target: str, shown: str) -> None:
    with pytest.raises(InputReadError) as info:
        load_slo_spec(write(tmp_path, ARTICLE.replace("99.95%", target)))
    assert f"slos[0].target: must be a number below 100%, got {shown}" in str(info.value)


@pytest.mark.parametrize("name", ["bad-label", "0x", "with space", "é", ""])
def test_label_names_prometheus_refuses_are_refused(name: str) -> None:
    window = BurnWindow(long=3600, burn_rate=14.4)
    with pytest.raises(ValidationError, match="label names"):
        BurnRateAlert(severity="critical", windows=[window], labels={name: "x"})
    with pytest.raises(ValidationError, match="label names"):
        BurnRateAlert(severity="critical", windows=[window], annotations={name: "x"})
    with pytest.raises(ValidationError, match="label names"):
        SLO(service="s", name="n", objective=0.99, sli=SLI(good="g[5m]", total="t[5m]"),
            labels={name: "x"})  # fmt: skip


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("{{ $value", "not closed"),
        ("{{ $labels.a {{ $value }}", "another"),
        ('{{ "}} }}', "not closed"),
        ("a {{ }} b", "empty"),
    ],
)
def test_label_and_annotation_templates_prometheus_cannot_read_are_refused(
    value: str, problem: str
) -> None:
    window = BurnWindow(long=3600, burn_rate=14.4)
    # Prometheus reads both as Go templates: promtool check rules refuses the whole file
    with pytest.raises(ValidationError, match=problem):
        BurnRateAlert(severity="critical", windows=[window], labels={"team": value})
    with pytest.raises(ValidationError, match=problem):
        BurnRateAlert(severity="critical", windows=[window], annotations={"summary": value})


@pytest.mark.parametrize(
    "value", ["{{ $value }}", '{{ "{{" }}', "{{- $labels.x -}} }} {", "no template", "{{`}}`}}"]
)
def test_templates_prometheus_reads_are_kept(value: str) -> None:
    window = BurnWindow(long=3600, burn_rate=14.4)
    alert = BurnRateAlert(severity="critical", windows=[window], labels={"team": value})
    assert alert.labels["team"] == value


def test_a_bad_label_name_in_a_spec_names_the_field(tmp_path: Path) -> None:
    text = ARTICLE + (
        "    alerting:\n"
        "      - severity: critical\n"
        '        labels: {"team-name": checkout}\n'
        "        windows: [{long: 1h, short: 5m, burn_rate: 14.4}]\n"
    )
    with pytest.raises(InputReadError, match=r"slos\[0\]\.alerting\[0\]: .*'team-name'"):
        load_slo_spec(write(tmp_path, text))


# --- history -----------------------------------------------------------------------------


def matrix(label: str, values: list[list[object]]) -> dict[str, object]:
    return {
        "status": "success",
        "data": {"resultType": "matrix", "result": [{"metric": {"sli": label}, "values": values}]},
    }


METRIC_LIST = {"resultType": "matrix", "result": [{"metric": ["sli", "good"], "values": []}]}


def sides(extra: list[object]) -> str:
    values: list[list[object]] = [[1741000000 + 60 * i, str(10 * i)] for i in range(5)]
    return json.dumps({"good": matrix("good", [*values, extra]), "total": matrix("total", values)})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"good": ' * 50_000 + "1" + "}" * 50_000, "nested too deeply"),
        (sides([1741009999, "1" + "0" * 5000]), "good: result[0].values[5]: the value must be"),
        (sides([float("nan"), "5"]), "good: result[0].values[5]: the timestamp must be"),
        (sides([1741009999, "+Inf"]), "good: result[0].values[5]: the value must be"),
        (sides([1741009999, "-3"]), "good: result[0].values[5]: the value must be"),
        (
            json.dumps({"status": "success", "data": METRIC_LIST}),
            "response result[0]: expected metric and values",
        ),
    ],
    ids=["deep-list", "deep-object", "huge-int", "nan-time", "inf", "negative", "metric-list"],
)
def test_hostile_json_history(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text, "h.json")
    with pytest.raises(InputReadError) as info:
        load_sli_history(path)
    assert message in str(info.value) and str(info.value).startswith(str(path))


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("nan,1,1", "row 3 (line 4): timestamp must be"),
        ("inf,1,1", "row 3 (line 4): timestamp must be"),
        ("1741000000000,1,1", "row 3 (line 4): timestamp 1741000000000 is not in the years"),
        ("-1e15,1,1", "row 3 (line 4): timestamp -1e15 is not in the years"),
        ("1741000180," + "1" * 200_000 + ",1", "line 4: a cell is longer than"),
    ],
    ids=["nan", "inf", "milliseconds", "negative", "huge-cell"],
)
def test_hostile_csv_history(tmp_path: Path, row: str, message: str) -> None:
    path = write(
        tmp_path, f"timestamp,good,total\n1741000000,1,1\n1741000060,2,2\n{row}\n", "h.csv"
    )
    with pytest.raises(InputReadError) as info:
        load_sli_history(path)
    assert message in str(info.value) and str(info.value).startswith(str(path))


@pytest.mark.parametrize("stamp", [float("nan"), float("inf"), 1e300, "soon", None])
def test_a_counter_series_refuses_timestamps_that_are_no_instant(stamp: object) -> None:
    with pytest.raises(ValidationError, match="timestamps must be POSIX seconds"):
        CounterSeries.of("total", [0, stamp], [1, 2])  # type: ignore[list-item]


def test_a_json_number_of_5000_digits_is_out_of_range_not_a_crash(tmp_path: Path) -> None:
    values = [[1741000000 + 60 * i, str(i)] for i in range(3)]
    text = json.dumps({"good": matrix("good", values), "total": matrix("total", values)})
    path = write(tmp_path, text.replace("1741000000,", "1" + "0" * 5000 + ",", 1), "h.json")
    with pytest.raises(InputReadError, match=r"good: result\[0\]\.values\[0\]: the timestamp"):
        load_sli_history(path)


# --- a live Prometheus that misbehaves ---------------------------------------------------


class Misbehaving(BaseHTTPRequestHandler):
    """Answers /api/v1/query as the test's ``mode`` says and records each request."""

    mode = "ok"
    seen: ClassVar[list[tuple[str, str | None]]] = []

    def do_GET(self) -> None:
        self.seen.append((self.headers.get("Host") or "", self.headers.get("Authorization")))
        if self.mode == "redirect":  # to the same server under another host name
            port = self.server.server_address[1]
            self.send_response(302)
            self.send_header("Location", f"http://localhost:{port}/elsewhere?{self.path[13:]}")
            self.end_headers()
            return
        if self.mode == "ftp":
            self.send_response(302)
            self.send_header("Location", "ftp://127.0.0.1:1/samples")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        head = (
            b'{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":['
        )
        tail = b'[1741000000,"1"],[1741000060,"2"]]}]}}'
        try:
            if self.mode == "drip":  # the whole answer, a byte every 50 ms: 5 s in all
                for byte in head + tail:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.05)
            elif self.mode == "endless":  # samples for ever
                self.wfile.write(head)
                while True:
                    self.wfile.write(b'[1741000000,"1"],' * 4096)
            else:
                self.wfile.write(head + tail)
        except OSError:  # the client hung up, as it should
            pass

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def prometheus() -> Iterator[tuple[str, type[Misbehaving]]]:
    handler = type("Handler", (Misbehaving,), {"seen": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()


def fetch(url: str, **kwargs: Any) -> object:
    (slo,) = load_slo_spec(REPO / "examples" / "slo" / "slo-definition.yaml").slos
    since = dt.datetime(2025, 3, 3, tzinfo=dt.timezone.utc)
    return fetch_sli_history(url, slo, since, since + dt.timedelta(hours=1), **kwargs)


def test_credentials_are_not_sent_on_to_another_host(
    prometheus: tuple[str, type[Misbehaving]],
) -> None:
    url, handler = prometheus
    handler.mode = "redirect"
    with pytest.raises(InputReadError):  # the server redirects for ever: too many redirects
        fetch(url.replace("http://", "http://reader:s3cret@"))
    first, *after = handler.seen
    assert first[0].startswith("127.0.0.1:") and first[1] is not None
    assert after and all(host.startswith("localhost:") and auth is None for host, auth in after)


def test_a_redirect_to_another_scheme_is_not_followed(
    prometheus: tuple[str, type[Misbehaving]],
) -> None:
    url, handler = prometheus
    handler.mode = "ftp"
    with pytest.raises(InputReadError, match=r"redirected to ftp://127\.0\.0\.1:1/samples"):
        fetch(url)


def test_a_server_that_drips_its_answer_runs_into_the_deadline(
    prometheus: tuple[str, type[Misbehaving]],
) -> None:
    url, handler = prometheus
    handler.mode = "drip"
    with pytest.raises(InputReadError, match=r"no answer within 0\.5 s"):
        fetch(url, timeout=0.5)


def test_an_endless_answer_stops_at_the_size_limit(
    prometheus: tuple[str, type[Misbehaving]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, handler = prometheus
    handler.mode = "endless"
    monkeypatch.setattr(ingest_prometheus, "MAX_ANSWER_BYTES", 1_000_000)
    with pytest.raises(InputReadError, match="the answer is larger than 1,000,000 bytes"):
        fetch(url)


def test_a_well_behaved_server_still_answers(prometheus: tuple[str, type[Misbehaving]]) -> None:
    url, _ = prometheus
    history = fetch(url)
    assert isinstance(history, SLIHistory) and history.samples == 4


@pytest.mark.parametrize(
    ("alert", "field"),
    [
        # a misspelt short window made a one-window alert that pages for an hour after recovery
        ("{severity: critical, windows: [{long: 1h, shrt: 5m, burn_rate: 14.4}]}",
         r"alerting\[0\]\.windows\[0\]: unknown field 'shrt'"),
        # a misspelt for: made an alert that fires at once
        ("{severity: critical, fr: 10m, windows: [{long: 1h, short: 5m, burn_rate: 14.4}]}",
         r"alerting\[0\]: unknown field 'fr'"),
    ],
)  # fmt: skip
def test_a_misspelt_field_in_an_alert_is_refused_not_ignored(
    tmp_path: Path, alert: str, field: str
) -> None:
    text = ARTICLE + f"    alerting:\n      - {alert}\n"
    with pytest.raises(InputReadError, match=field):
        load_slo_spec(write(tmp_path, text))


def test_a_history_file_over_the_size_limit_is_refused_before_it_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest_history, "MAX_HISTORY_BYTES", 1000)
    path = write(tmp_path, "timestamp,good,total\n" + "1740978000,1,1\n" * 100, "h.csv")
    with pytest.raises(InputReadError, match=r"h\.csv: is larger than 1,000 bytes"):
        load_sli_history(path)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_history_that_never_ends_stops_at_the_size_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # before: --history /dev/zero took 15 GB of memory in a minute and went on
    monkeypatch.setattr(ingest_history, "MAX_HISTORY_BYTES", 1000)
    with pytest.raises(InputReadError, match="is larger than"):
        load_sli_history("/dev/zero")
