"""Node.js for the CDK paths: the project's pinned Node.js 22 and a quiet environment (the edge).

``package.json`` pins the npm package ``node`` next to the CDK command-line tools, so ``npm ci``
(``make``) puts a Node.js 22 binary for the machine (x86_64 or aarch64) at
``node_modules/.bin/node``. Every CDK path uses it when it is there, whatever Node.js the system
has: the jsii runtime behind the Python bindings (through ``JSII_NODE``) and the command-line
tools run by :func:`quiet_environment` (through ``PATH``). CDKTF's CLI and the CDK Terrain CLI
(which needs Node.js 22.19 or newer) share it.

Nothing here imports cdktf or jsii; reading the pin is a file read, never a subprocess.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping, MutableMapping
from pathlib import Path

__all__ = [
    "MIN_NODE",
    "apply_jsii_defaults",
    "jsii_defaults",
    "node_bin_dir",
    "pinned_node_version",
    "quiet_environment",
]

#: The oldest Node.js the project's pin may be: CDK Terrain's CLI needs 22.19.
MIN_NODE = (22, 19)

#: jsii's own switches: the "end-of-life" banner for these Node.js majors (the system Node.js of
#: machines where the pinned one is not installed), and the "reached end-of-life, will no longer
#: be supported" notice for any version (a reminder to bump the pin, not news for the user). jsii
#: writes both as byte-string reprs into the user's output.
SILENCED_END_OF_LIFE = "20"
_SILENCE_EOL = "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"
_SILENCE_DEPRECATED = "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION"

_SOURCE_ROOT = Path(__file__).resolve().parents[2]  # a clone's root, for an editable install


def pinned_node_version(bin_dir: Path) -> tuple[int, ...] | None:
    """The version of the npm package ``node`` whose binary ``bin_dir/node`` is, or ``None``."""
    manifest = bin_dir.parent / "node" / "package.json"
    try:
        version = json.loads(manifest.read_text(encoding="utf-8"))["version"]
        return tuple(int(part) for part in str(version).split("."))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def node_bin_dir(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The ``node_modules/.bin`` folder holding the pinned Node.js (at least :data:`MIN_NODE`).

    Looked for in ``start`` (default: the current folder) and each folder above it, then in the
    clone this package runs from (``pip install -e .``); ``None`` when there is none, and the
    system's Node.js is used as it is.
    """
    first = Path.cwd() if start is None else Path(start)
    places = [first.resolve(), *first.resolve().parents, _SOURCE_ROOT]
    for place in places:
        bin_dir = place / "node_modules" / ".bin"
        if (bin_dir / "node").is_file():
            version = pinned_node_version(bin_dir)
            if version is not None and version[:2] >= MIN_NODE:
                return bin_dir
    return None


def jsii_defaults(bin_dir: Path | None = None) -> dict[str, str]:
    """jsii's switches for a quiet run: the pinned Node.js as ``JSII_NODE`` (when ``bin_dir``
    holds it) and the banners of :data:`SILENCED_END_OF_LIFE` silenced."""
    values = {_SILENCE_EOL: SILENCED_END_OF_LIFE, _SILENCE_DEPRECATED: "1"}
    if bin_dir is not None:
        values["JSII_NODE"] = str(bin_dir / "node")
    return values


def apply_jsii_defaults(
    environ: MutableMapping[str, str] | None = None, start: str | os.PathLike[str] | None = None
) -> None:
    """Set :func:`jsii_defaults` in ``environ`` (default: ``os.environ``) where not set already.

    Called by :mod:`oncall_planner.cdktf` before it loads the bindings (which start jsii's Node.js
    process), so a stack using the construct is quiet outside ``make`` too. A value the user set,
    even an empty one, wins.
    """
    target = os.environ if environ is None else environ
    for name, value in jsii_defaults(node_bin_dir(start)).items():
        target.setdefault(name, value)


def quiet_environment(
    base: Mapping[str, str] | None = None, bin_dir: Path | None = None
) -> dict[str, str]:
    """The environment for a quiet, non-interactive CDK command-line tool and the app it runs.

    - ``CHECKPOINT_DISABLE=1``: no telemetry or version check (the CDKTF CLI reads it only
      from the environment; without a network it logs an ``[ERROR]`` line for each attempt).
    - ``CI=true``: no spinner or prompts.
    - jsii's switches (:func:`jsii_defaults`), the end-of-life majors added to any the caller
      silences already.
    - this Python's folder first on ``PATH``, so the app's ``python3`` is the interpreter that has
      oncall-planner installed; then ``bin_dir`` (the pinned Node.js, so the CLI's
      ``#!/usr/bin/env node`` runs on it).
    """
    env = dict(os.environ if base is None else base)
    env["CHECKPOINT_DISABLE"] = "1"
    env["CI"] = "true"
    defaults = jsii_defaults(bin_dir)
    majors = [m.strip() for m in env.get(_SILENCE_EOL, "").split(",") if m.strip()]
    for major in SILENCED_END_OF_LIFE.split(","):
        if major not in majors:
            majors.append(major)
    env[_SILENCE_EOL] = ",".join(majors)
    env.setdefault(_SILENCE_DEPRECATED, defaults[_SILENCE_DEPRECATED])
    if "JSII_NODE" in defaults:
        env.setdefault("JSII_NODE", defaults["JSII_NODE"])
    first = [str(Path(sys.executable).parent)]
    if bin_dir is not None:
        first.append(str(bin_dir))
    env["PATH"] = os.pathsep.join([*first, env.get("PATH", "")])
    return env
