"""``oncall-planner slo rules`` and ``oncall-planner forecast`` on the bundled example."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pytest
from prometheus_server import binaries

from oncall_planner.cli import main

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "slo"
SPEC = str(EXAMPLES / "slo-definition.yaml")
HISTORY = str(EXAMPLES / "checkout-history.csv")
PLAN = str(EXAMPLES / "corrected_plan.py")
SEED = str(REPO / "tests" / "data" / "seed-pagerduty.tf")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_slo_rules_writes_a_file_promtool_accepts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "rules.yaml"  # -o writes into a folder that exists
    code, _, err = run(capsys, "slo", "rules", SPEC, "--interval", "30s", "-o", str(path))
    assert code == 0 and err == f"wrote {path}\n"
    text = path.read_text(encoding="utf-8")
    assert "interval: 30s" in text and "CheckoutAvailabilityHighErrorBudgetBurn" in text
    promtool, _ = binaries()
    result = subprocess.run(
        [promtool, "check", "rules", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_slo_rules_output_is_the_same_every_time(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "slo", "rules", SPEC)[1] == run(capsys, "slo", "rules", SPEC)[1]


def test_slo_rules_on_a_bad_spec_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(Path(SPEC).read_text().replace("99.95%", "100%"), encoding="utf-8")
    code, out, err = run(capsys, "slo", "rules", str(bad))
    assert (code, out) == (2, "")
    assert err.startswith(f"oncall-planner slo rules: error: {bad}: slos[0].target: '100%' leaves")
    assert err.count("\n") == 1


def test_slo_rules_on_a_folder_names_it_without_an_errno(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "slo", "rules", str(tmp_path))
    assert (code, out) == (2, "")
    assert err == f"oncall-planner slo rules: error: {tmp_path}: is a folder; name the file in it\n"


def test_slo_rules_on_a_csv_says_it_is_not_a_spec_without_quoting_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "slo", "rules", HISTORY)
    assert (code, out) == (2, "")
    assert err == (
        f"oncall-planner slo rules: error: {HISTORY}: not an SLO spec: the file is plain text, not a "
        "YAML mapping; expected the article's format (service, slos), OpenSLO v1 "
        "(apiVersion: openslo/v1) or Sloth (version: prometheus/v1)\n"
    )


def test_forecast_text_on_the_bundled_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "forecast", PLAN, "--slo", SPEC, "--history", HISTORY)
    assert code == 0
    assert "Backtest: Mon 2025-03-03 00:00 to Mon 2025-03-17 00:00 (America/New_York)" in out
    assert "Tue 2025-03-11 14:32  Bob" in out  # the incident pages the week's primary
    assert "OCP502 night-page" in out  # the 02:52 page
    assert max(len(line) for line in out.splitlines()) <= 80


def test_forecast_json_csv_and_html(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["forecast", PLAN, "--slo", SPEC, "--history", HISTORY, "--days", "14"]
    _, out, _ = run(capsys, *args, "--format", "json")
    doc = json.loads(out)
    assert [p["user"] for p in doc["pages"]] == ["bob@example.com", "bob@example.com"]
    # 2 pages in the two weeks of history (335 hours: the clocks went forward)
    assert doc["forecast"]["pages_per_week"] == pytest.approx(2 / 335 * 168)
    assert sum(s["expected"] for s in doc["forecast"]["shifts"]) == pytest.approx(2 / 335 * 336)
    _, out, _ = run(capsys, *args, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["kind"] for r in rows} == {"shift", "person"}
    _, out, _ = run(capsys, *args, "--format", "html")
    assert out.startswith("<!DOCTYPE html>") and "<script" not in out
    assert "src=" not in out and "href=" not in out  # fetches nothing
    assert "<svg" in out and "Bob" in out


def test_forecast_with_a_window_and_a_tighter_page_limit_finds_busy_shifts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(
        capsys, "forecast", PLAN, "--slo", SPEC, "--history", HISTORY,
        "--since", "2025-03-19", "--days", "7", "--max-pages", "0",
    )  # fmt: skip
    assert code == 0
    assert "OCP901 forecast-busy-shift: User 'Dave'" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--history", HISTORY, "--interval", "often"], "--interval must be a duration"),
        (["--prometheus", "127.0.0.1:9090"], "--prometheus must be an http:// or https:// URL"),
        (["--history", "/nonexistent.csv"], "/nonexistent.csv: no such file"),
        (["--history", str(Path(HISTORY).parent)], "is a folder; name the file in it"),
        (["--history", HISTORY, "--policy", "Nope"], "--policy: no escalation policy named 'Nope'"),
        (["--history", HISTORY, "--max-pages", "-1"], "--max-pages must be 0 or more"),
    ],
)
def test_forecast_bad_usage_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, "forecast", PLAN, "--slo", SPEC, *argv)
    assert (code, out) == (2, "")
    assert message in err and err.count("\n") == 1


def test_forecast_needs_a_history_source(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["forecast", PLAN, "--slo", SPEC])
    assert info.value.code == 2
    assert "one of the arguments --history --prometheus is required" in capsys.readouterr().err


def test_forecast_with_an_unreachable_prometheus(capsys: pytest.CaptureFixture[str]) -> None:
    from prometheus_server import free_port

    url = f"http://user:secret@127.0.0.1:{free_port()}"
    code, _, err = run(
        capsys, "forecast", PLAN, "--slo", SPEC, "--prometheus", url,
        "--history-since", "2025-03-03", "--history-until", "2025-03-04",
    )  # fmt: skip
    assert code == 2 and "cannot reach Prometheus" in err and "secret" not in err


def test_a_history_row_that_is_not_a_number(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "h.csv"
    bad.write_text("timestamp,good,total\n1740978000,1,1\n1740978060,x,2\n", encoding="utf-8")
    code, _, err = run(capsys, "forecast", PLAN, "--slo", SPEC, "--history", str(bad))
    assert code == 2
    assert f"{bad}: row 2 (line 3): good must be a number, got 'x'" in err


def test_a_history_file_needs_one_slo_of_a_spec_with_several(
    capsys: pytest.CaptureFixture[str],
) -> None:
    sloth = str(REPO / "tests" / "data" / "slo" / "sloth.yaml")
    code, _, err = run(capsys, "forecast", PLAN, "--slo", sloth, "--history", HISTORY)
    assert code == 2 and "the spec has 2 SLOs" in err and "--slo-name" in err
    code, _, err = run(
        capsys, "forecast", PLAN, "--slo", sloth, "--history", HISTORY, "--slo-name", "nope"
    )
    assert code == 2 and "--slo-name: the spec has no SLO named 'nope'" in err
    code, out, _ = run(
        capsys, "forecast", PLAN, "--slo", sloth, "--history", HISTORY,
        "--slo-name", "requests-availability",
    )  # fmt: skip
    assert code == 0 and "SLO search/requests-availability: 99.9% over 30d" in out


def test_a_spec_with_many_slos_is_named_in_a_short_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    lines = ["service: checkout", "slos:"]
    for i in range(300):
        lines += [f"  - name: slo-{i}", "    target: 99.9%", "    window: 30d",
                  "    sli: {good: 'g[5m]', total: 't[5m]'}"]  # fmt: skip
    spec = tmp_path / "many.yaml"
    spec.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for extra in ((), ("--slo-name", "nope")):
        code, _, err = run(capsys, "forecast", PLAN, "--slo", str(spec), "--history", HISTORY,
                           *extra)  # fmt: skip
        (line,) = err.splitlines()
        assert code == 2 and "'slo-0'" in line and "and 290 more" in line and len(line) < 400


def test_slo_rules_refuses_an_interval_longer_than_the_shortest_window(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "slo", "rules", SPEC, "--interval", "100000d")
    assert (code, out) == (2, "")
    assert "interval 100000d is longer than the shortest alert window (5m)" in err
    assert err.count("\n") == 1
    code, out, _ = run(capsys, "slo", "rules", SPEC, "--interval", "5m")
    assert code == 0 and "interval: 300s" in out


@pytest.mark.parametrize("interval", [0, -60, True, 1.5])
def test_rules_document_refuses_an_interval_that_is_no_number_of_seconds(interval: object) -> None:
    from oncall_planner.emit.prometheus_rules import rules_document
    from oncall_planner.errors import ValidationError
    from oncall_planner.ingest.slo import load_slo_spec
    from oncall_planner.slo import alert_rules

    rules = alert_rules(load_slo_spec(SPEC))
    with pytest.raises(ValidationError, match="interval must be a positive number of seconds"):
        rules_document(rules, interval=interval)  # type: ignore[arg-type]


def test_errors_of_a_two_word_command_name_both_words_as_argparse_does(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _, _, ours = run(capsys, "slo", "rules", str(tmp_path))
    with pytest.raises(SystemExit):
        main(["slo", "rules", SPEC, "--no-such-option"])
    argparse_err = capsys.readouterr().err
    assert ours.startswith("oncall-planner slo rules: error: ")
    assert "oncall-planner slo rules: error: " in argparse_err
