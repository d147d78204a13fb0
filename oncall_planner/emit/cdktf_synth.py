"""Running the ``cdktf`` CLI quietly and non-interactively (the edge: subprocess and files).

Nothing here imports cdktf or jsii, so the runner works (and fails clearly) without them; the
CDKTF app it runs imports them itself. The work is :func:`oncall_planner.emit.cdk_synth.run_synth`,
which runs CDK Terrain's ``cdktn`` the same way.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from oncall_planner.emit.cdk_synth import cdk_environment, run_synth
from oncall_planner.emit.node import SILENCED_END_OF_LIFE

__all__ = ["SILENCED_NODE_MAJORS", "cdktf_environment", "run_cdktf_synth"]

#: Node.js major versions whose end-of-life banner from jsii is silenced (see docs/terraform.md).
SILENCED_NODE_MAJORS = SILENCED_END_OF_LIFE


def cdktf_environment(
    base: Mapping[str, str] | None = None, bin_dir: Path | None = None
) -> dict[str, str]:
    """The environment for a quiet, non-interactive ``cdktf synth``
    (:func:`~oncall_planner.emit.cdk_synth.cdk_environment`)."""
    return cdk_environment(base, bin_dir)


def run_cdktf_synth(
    project: str | os.PathLike[str],
    cli: str | os.PathLike[str] | None = None,
    output: str | os.PathLike[str] | None = None,
) -> Path:
    """Run ``cdktf synth`` in ``project`` and return the output directory (``cdktf.out``).

    ``cli`` is the ``cdktf`` executable (default: ``cdktf`` on ``PATH``); it and the app run on
    the project's pinned Node.js when there is one (:mod:`oncall_planner.emit.node`). CDKTF's own
    log lines go to a temporary log file instead of the terminal; nothing is printed on success. A
    failure raises :class:`~oncall_planner.OnCallPlannerError` with what the CLI printed. A
    terraform binary is not needed: without one the CLI only logs that it cannot tell Terraform's
    version.
    """
    return run_synth("cdktf", project, cli, output)
