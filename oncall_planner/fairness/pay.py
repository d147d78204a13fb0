"""Compensation preview: configurable rates turned into each person's expected pay."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.textutil import check_name_text

#: The largest weight, rate or multiplier taken: finite, and small enough that every sum of
#: them over hours and shifts stays a finite float (JSON has no Infinity).
MAX_FACTOR = 1_000_000_000


def non_negative(where: str) -> Callable[[Any, Any, Any], None]:
    """An attrs validator for a number ≥ 0 and at most :data:`MAX_FACTOR` (not a bool, not NaN);
    its error starts with ``where``."""

    def check(instance: Any, attribute: Any, value: Any) -> None:
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not 0 <= value <= MAX_FACTOR  # False for NaN too
        ):
            raise ValidationError(
                f"{where}: {attribute.name} must be a number ≥ 0 and at most {MAX_FACTOR:,}, "
                f"got {value!r}"
            )

    return check


_non_negative = non_negative("PayRates")


def _currency(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, str) or not value.strip() or len(value) > 8:
        raise ValidationError(
            f"PayRates: currency must be a short code such as 'USD', got {value!r}"
        )
    check_name_text(value, "PayRates", "currency")


@attrs.frozen(kw_only=True)
class PayRates:
    """How on-call time is paid.

    ``per_hour`` is paid for every hour on call and ``per_shift`` for every shift (a continuous
    stretch on call); both are multiplied by the kind of day: ``weekday``, ``weekend`` (Saturday,
    Sunday) or ``holiday`` (the person's public holidays; a holiday on a weekend is a holiday). A
    shift's kind of day is that of the local day it starts on. Days are in the person's own zone.
    """

    per_hour: float = attrs.field(default=0.0, validator=_non_negative)
    per_shift: float = attrs.field(default=0.0, validator=_non_negative)
    weekday: float = attrs.field(default=1.0, validator=_non_negative)
    weekend: float = attrs.field(default=1.5, validator=_non_negative)
    holiday: float = attrs.field(default=2.0, validator=_non_negative)
    currency: str = attrs.field(default="USD", validator=_currency)

    def multiplier(self, kind: str) -> float:
        return {"weekday": self.weekday, "weekend": self.weekend, "holiday": self.holiday}[kind]


@attrs.frozen
class Pay:
    """One person's expected pay over the horizon."""

    hourly: float
    shifts: float

    @property
    def total(self) -> float:
        return self.hourly + self.shifts


def pay_for(
    rates: PayRates,
    weekday_hours: float,
    weekend_hours: float,
    holiday_hours: float,
    shift_kinds: dict[str, int],
) -> Pay:
    hourly = rates.per_hour * (
        weekday_hours * rates.weekday
        + weekend_hours * rates.weekend
        + holiday_hours * rates.holiday
    )
    shifts = rates.per_shift * sum(rates.multiplier(k) * n for k, n in shift_kinds.items())
    # float(): integer rates and multipliers must not make some amounts ints (120 next to 140.0).
    return Pay(round(float(hourly), 2), round(float(shifts), 2))


__all__ = ["Pay", "PayRates", "pay_for"]
