"""Shared test set-up: hypothesis profiles and small builders."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# "ci" is the fast default; HYPOTHESIS_PROFILE=long searches much harder.
settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "long", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
