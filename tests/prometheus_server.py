"""A real Prometheus for the SLO tests and benchmark: TSDB blocks made with promtool from
OpenMetrics text, a server on 127.0.0.1 (a free port, a temporary data folder) started and
stopped by the caller, and ``query_range`` over HTTP.

Debian's ``prometheus`` package provides both binaries; ``make prometheus`` installs it.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

MISSING = "promtool and prometheus are needed: run `make prometheus` (Debian's prometheus package)"
#: Prometheus refuses a range query of more points than this per series.
MAX_POINTS = 11_000


def binaries() -> tuple[str, str]:
    promtool, prometheus = shutil.which("promtool"), shutil.which("prometheus")
    if promtool is None or prometheus is None:
        raise RuntimeError(MISSING)
    return promtool, prometheus


def openmetrics(family: str, series: Iterable[tuple[str, Sequence[float], Sequence[float]]]) -> str:
    """OpenMetrics text of one counter family: ``series`` are (labels such as
    ``code="200"``, times in seconds, values)."""
    lines = [f"# HELP {family} Requests.", f"# TYPE {family} counter"]
    for labels, times, values in series:
        name = f"{family}_total{{{labels}}}" if labels else f"{family}_total"
        lines.extend(f"{name} {v:.17g} {t:.3f}" for t, v in zip(times, values, strict=True))
    lines.append("# EOF")
    return "\n".join(lines) + "\n"


def create_blocks(text: str, folder: Path) -> Path:
    """TSDB blocks from OpenMetrics ``text`` in ``folder/data`` (promtool create-blocks)."""
    promtool, _ = binaries()
    source = folder / "history.om"
    source.write_text(text, encoding="utf-8")
    data = folder / "data"
    subprocess.run(
        [promtool, "tsdb", "create-blocks-from", "openmetrics", str(source), str(data)],
        check=True,
        capture_output=True,
        timeout=1800,
    )
    return data


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PrometheusServer:
    """``with PrometheusServer(data) as server: server.query_range(...)``."""

    def __init__(self, data: Path, interval: int = 60) -> None:
        self.data = data
        self.interval = interval
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> PrometheusServer:
        _, prometheus = binaries()
        config = self.data.parent / "prometheus.yml"
        config.write_text(f"global:\n  evaluation_interval: {self.interval}s\n", encoding="utf-8")
        self.log = (self.data.parent / "prometheus.log").open("wb")
        self.process = subprocess.Popen(
            [
                prometheus,
                f"--config.file={config}",
                f"--storage.tsdb.path={self.data}",
                "--storage.tsdb.retention.time=100y",
                f"--web.listen-address=127.0.0.1:{self.port}",
                "--query.timeout=30m",
                "--query.max-samples=500000000",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"prometheus exited: see {self.log.name}")
            try:
                with urllib.request.urlopen(f"{self.url}/-/ready", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("prometheus did not become ready in 60 s")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def get(self, path: str, **params: Any) -> Any:
        url = f"{self.url}{path}?{urllib.parse.urlencode(params)}"
        with urllib.request.urlopen(url, timeout=1800) as r:
            doc = json.loads(r.read().decode("utf-8"))
        if doc.get("status") != "success":
            raise RuntimeError(f"prometheus: {doc}")
        return doc["data"]

    def query_range(self, expr: str, start: int, end: int, step: int) -> set[int]:
        """The instants (seconds) in ``[start, end]`` where ``expr`` has a result, asked in
        chunks of at most :data:`MAX_POINTS` steps."""
        found: set[int] = set()
        at = start
        while at <= end:
            stop = min(end, at + (MAX_POINTS - 1) * step)
            data = self.get("/api/v1/query_range", query=expr, start=at, end=stop, step=step)
            for series in data["result"]:
                found.update(int(float(t)) for t, _ in series["values"])
            at = stop + step
        return found
