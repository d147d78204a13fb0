"""Inputs from the edge: files turned into the library's values (page history, Terraform)."""

from oncall_planner.ingest.terraform import (
    Diagnostic,
    TerraformImport,
    import_terraform,
    load_terraform,
)

__all__ = ["Diagnostic", "TerraformImport", "import_terraform", "load_terraform"]
