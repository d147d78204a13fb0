"""``oncall_planner.ingest.slo`` was one module and is a package of one module per job (spec,
history, prometheus): every name the module offered still imports from the package."""

from __future__ import annotations

import importlib

import pytest

#: What ``oncall_planner.ingest.slo`` offered as one module, and the module of the package that
#: now defines each name.
SLO_READER_NAMES = {
    "load_slo_spec": "spec",
    "slo_spec_from_documents": "spec",
    "SLOTH_ALERT_FOR": "spec",
    "MAX_SPEC_BYTES": "spec",
    "MAX_SPEC_VALUES": "spec",
    "MAX_SPEC_DEPTH": "spec",
    "load_sli_history": "history",
    "history_from_csv": "history",
    "history_from_json": "history",
    "history_to_csv": "history",
    "MAX_HISTORY_BYTES": "history",
    "fetch_sli_history": "prometheus",
    "counter_selector": "prometheus",
    "MAX_ANSWER_BYTES": "prometheus",
}


@pytest.mark.parametrize(("name", "module"), sorted(SLO_READER_NAMES.items()))
def test_the_slo_readers_answer_to_their_old_names(name: str, module: str) -> None:
    """``from oncall_planner.ingest.slo import X`` works as it did before the module became a
    package, and gives the object its module defines."""
    package = importlib.import_module("oncall_planner.ingest.slo")
    owner = importlib.import_module(f"oncall_planner.ingest.slo.{module}")
    assert name in vars(owner)
    assert getattr(package, name) is vars(owner)[name]
