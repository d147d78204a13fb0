"""SLO specs and SLI history in: YAML spec files, history files, and a live Prometheus.

One module per job:

- :mod:`~oncall_planner.ingest.slo.spec`: SLO specs (the article's format, OpenSLO v1, Sloth
  prometheus/v1) from YAML read safely (:func:`load_slo_spec`);
- :mod:`~oncall_planner.ingest.slo.history`: SLI history files, CSV or Prometheus API JSON
  (:func:`load_sli_history`);
- :mod:`~oncall_planner.ingest.slo.prometheus`: SLI history fetched from a Prometheus server over
  HTTP (:func:`fetch_sli_history`).

Every name is importable from here as it was when this was one module.
"""

from oncall_planner.ingest.slo.history import MAX_HISTORY_BYTES as MAX_HISTORY_BYTES
from oncall_planner.ingest.slo.history import (
    history_from_csv,
    history_from_json,
    history_to_csv,
    load_sli_history,
)
from oncall_planner.ingest.slo.prometheus import MAX_ANSWER_BYTES as MAX_ANSWER_BYTES
from oncall_planner.ingest.slo.prometheus import counter_selector, fetch_sli_history
from oncall_planner.ingest.slo.spec import MAX_SPEC_BYTES as MAX_SPEC_BYTES
from oncall_planner.ingest.slo.spec import MAX_SPEC_DEPTH as MAX_SPEC_DEPTH
from oncall_planner.ingest.slo.spec import MAX_SPEC_VALUES as MAX_SPEC_VALUES
from oncall_planner.ingest.slo.spec import SLOTH_ALERT_FOR as SLOTH_ALERT_FOR
from oncall_planner.ingest.slo.spec import load_slo_spec, slo_spec_from_documents

__all__ = [
    "counter_selector",
    "fetch_sli_history",
    "history_from_csv",
    "history_from_json",
    "history_to_csv",
    "load_sli_history",
    "load_slo_spec",
    "slo_spec_from_documents",
]
