"""Reading existing configuration: Terraform (HCL and JSON) into an :class:`OnCallPlan`."""

from oncall_planner.ingest.terraform import (
    Diagnostic,
    TerraformImport,
    import_terraform,
    load_terraform,
)

__all__ = ["Diagnostic", "TerraformImport", "import_terraform", "load_terraform"]
