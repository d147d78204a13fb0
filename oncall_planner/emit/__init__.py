"""Emitters: the plan as Terraform JSON (no Node.js) and overrides as PagerDuty API bodies.

The CDKTF construct lives in :mod:`oncall_planner.cdktf`, imported only when asked for.
"""

from oncall_planner.emit.terraform_json import (
    TerraformEmitWarning,
    overrides_api_body,
    to_terraform_json,
    write_terraform_json,
)

__all__ = [
    "TerraformEmitWarning",
    "overrides_api_body",
    "to_terraform_json",
    "write_terraform_json",
]
