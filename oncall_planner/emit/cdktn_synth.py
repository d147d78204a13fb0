"""Running CDK Terrain's ``cdktn`` CLI quietly and non-interactively (the edge).

``cdktn-cli`` 0.24 (npm, pinned in package.json) needs Node.js 22.19 or newer, which the project
pins in ``./node_modules`` (:mod:`oncall_planner.emit.node`). Nothing here imports cdktn or jsii.
"""

from __future__ import annotations

import os
from pathlib import Path

from oncall_planner.emit.cdk_synth import run_synth

__all__ = ["run_cdktn_synth"]


def run_cdktn_synth(
    project: str | os.PathLike[str],
    cli: str | os.PathLike[str] | None = None,
    output: str | os.PathLike[str] | None = None,
) -> Path:
    """Run ``cdktn synth`` in ``project`` and return the output directory (``cdktf.out``: CDK
    Terrain keeps CDKTF's file names, ``cdktf.json`` included).

    ``cli`` is the ``cdktn`` executable (default: ``cdktn`` on ``PATH``); it and the app run on
    the project's pinned Node.js. Quiet on success; a failure raises
    :class:`~oncall_planner.OnCallPlannerError` with what the CLI printed.
    """
    return run_synth("cdktn", project, cli, output)
