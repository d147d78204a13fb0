"""Running a CDK command-line tool's ``synth`` quietly and non-interactively (the edge).

CDKTF's ``cdktf`` and CDK Terrain's ``cdktn`` are the same program under two names: both read
``cdktf.json``, write ``cdktf.out``, log to ``CDKTF_LOG_FILE_DIRECTORY`` and honour
``CHECKPOINT_DISABLE``. :func:`run_synth` runs either; :func:`~oncall_planner.emit.cdktf_synth.
run_cdktf_synth` and :func:`~oncall_planner.emit.cdktn_synth.run_cdktn_synth` name the tool.

Nothing here imports cdktf, cdktn or jsii, so the runner works (and fails clearly) without them;
the app it runs imports them itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from oncall_planner.emit.node import node_bin_dir, pinned_node_version, quiet_environment
from oncall_planner.errors import OnCallPlannerError

__all__ = ["cdk_environment", "run_synth"]

#: How to install each tool, for the message when it is missing.
_INSTALL = {
    "cdktf": "npm install cdktf-cli@0.21.0",
    "cdktn": "npm install cdktn-cli@0.24.0 (it needs Node.js 22.19 or newer)",
}


def cdk_environment(
    base: Mapping[str, str] | None = None, bin_dir: Path | None = None
) -> dict[str, str]:
    """The environment for a quiet, non-interactive ``synth``.

    :func:`oncall_planner.emit.node.quiet_environment` (telemetry off, ``CI=true``, jsii's
    switches, this Python and then ``bin_dir``, the pinned Node.js, first on ``PATH``), and
    ``TF_CLI_CONFIG_FILE`` dropped when it names a file that does not exist (the CLI asks
    ``terraform version`` and would print Terraform's complaint about it).
    """
    env = quiet_environment(base, bin_dir)
    config = env.get("TF_CLI_CONFIG_FILE")
    if config is not None and not Path(config).is_file():
        del env["TF_CLI_CONFIG_FILE"]
    return env


def run_synth(
    tool: str,
    project: str | os.PathLike[str],
    cli: str | os.PathLike[str] | None = None,
    output: str | os.PathLike[str] | None = None,
) -> Path:
    """Run ``<tool> synth`` in ``project`` and return the output directory (``cdktf.out``).

    ``tool`` is ``"cdktf"`` or ``"cdktn"``; ``cli`` the executable (default: ``tool`` on
    ``PATH``). It and the app run on the project's pinned Node.js when there is one
    (:mod:`oncall_planner.emit.node`). The CLI's own log lines go to a temporary log file
    instead of the terminal; nothing is printed on success. A failure raises
    :class:`~oncall_planner.OnCallPlannerError` with what the CLI printed. A terraform binary is
    not needed: without one the CLI only logs that it cannot tell Terraform's version.
    """
    project_dir = Path(project)
    found = str(cli) if cli is not None else shutil.which(tool)
    if found is None or not Path(found).is_file():
        raise OnCallPlannerError(
            f"{tool} synth: the {tool} CLI was not found ({cli or tool + ' on PATH'}); install "
            f"it with `{_INSTALL.get(tool, 'npm')}` (make test and make demo do it in "
            "./node_modules)"
        )
    out_dir = Path(output) if output is not None else project_dir / "cdktf.out"
    # The pinned Node.js beside the CLI (./node_modules/.bin), else the one nearest the project.
    beside = Path(found).parent
    bin_dir = beside if pinned_node_version(beside) is not None else node_bin_dir(project_dir)
    with tempfile.TemporaryDirectory(prefix=f"{tool}-log-") as logs:
        env = cdk_environment(bin_dir=bin_dir)
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
                f"{tool} synth failed in {project_dir} (exit {done.returncode}):\n"
                f"{done.stdout}{done.stderr}{tail}"
            )
    return out_dir
