"""Inputs from the edge: files turned into the library's values (page history, Terraform)."""
