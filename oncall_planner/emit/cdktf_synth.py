"""Running the ``cdktf`` CLI quietly and non-interactively (the edge: subprocess and files).

Nothing here imports cdktf or jsii, so the runner works (and fails clearly) without them; the
CDKTF app it runs imports them itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from oncall_planner.errors import OnCallPlannerError

__all__ = ["SILENCED_NODE_MAJORS", "cdktf_environment", "run_cdktf_synth"]

#: Node.js major versions whose end-of-life banner from jsii is silenced (see docs/terraform.md).
SILENCED_NODE_MAJORS = "20"


def cdktf_environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a quiet, non-interactive ``cdktf synth``.

    - ``CHECKPOINT_DISABLE=1``: no telemetry or version check calls.
    - ``CI=true``: no spinner or prompts.
    - ``JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20``: jsii's own switch for its Node 20
      end-of-life banner, for Node 20 only (other versions still warn).
    - this Python's directory first on ``PATH``, so the project's ``python3 main.py`` runs with
      the interpreter that has oncall-planner installed.
    - ``TF_CLI_CONFIG_FILE`` dropped when it names a file that does not exist (the CLI asks
      ``terraform version`` and would print Terraform's complaint about it).
    """
    env = dict(os.environ if base is None else base)
    env["CHECKPOINT_DISABLE"] = "1"
    env["CI"] = "true"
    silenced = env.get("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "")
    majors = [m for m in silenced.split(",") if m.strip()]
    if SILENCED_NODE_MAJORS not in majors:
        majors.append(SILENCED_NODE_MAJORS)
    env["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = ",".join(majors)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    config = env.get("TF_CLI_CONFIG_FILE")
    if config is not None and not Path(config).is_file():
        del env["TF_CLI_CONFIG_FILE"]
    return env


def run_cdktf_synth(
    project: str | os.PathLike[str],
    cli: str | os.PathLike[str] | None = None,
    output: str | os.PathLike[str] | None = None,
) -> Path:
    """Run ``cdktf synth`` in ``project`` and return the output directory (``cdktf.out``).

    ``cli`` is the ``cdktf`` executable (default: ``cdktf`` on ``PATH``). CDKTF's own log lines
    go to a temporary log file instead of the terminal; nothing is printed on success. A failure
    raises :class:`~oncall_planner.OnCallPlannerError` with what the CLI printed. A terraform
    binary is not needed: without one the CLI only logs that it cannot tell Terraform's version.
    """
    project_dir = Path(project)
    found = str(cli) if cli is not None else shutil.which("cdktf")
    if found is None or not Path(found).is_file():
        raise OnCallPlannerError(
            f"cdktf synth: the cdktf CLI was not found ({cli or 'cdktf on PATH'}); install it with "
            "`npm install cdktf-cli@0.21.0` (make test and make demo do it in ./node_modules)"
        )
    out_dir = Path(output) if output is not None else project_dir / "cdktf.out"
    with tempfile.TemporaryDirectory(prefix="cdktf-log-") as logs:
        env = cdktf_environment()
        env["CDKTF_LOG_FILE_DIRECTORY"] = logs
        done = subprocess.run(
            [str(Path(found).resolve()), "synth", "--output", str(out_dir.resolve())],
            cwd=project_dir,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            log = Path(logs, "cdktf.log")
            tail = log.read_text(errors="replace")[-4000:] if log.exists() else ""
            raise OnCallPlannerError(
                f"cdktf synth failed in {project_dir} (exit {done.returncode}):\n"
                f"{done.stdout}{done.stderr}{tail}"
            )
    return out_dir
