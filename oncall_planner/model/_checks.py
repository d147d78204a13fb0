"""Small validators shared by the model classes; each names the object, field, limit and value."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from oncall_planner.errors import ValidationError
from oncall_planner.textutil import check_description_text, check_name_text, is_name_text


def describe(instance: Any) -> str:
    """``Layer 'Primary'`` for messages; the class name alone while the name is not set yet."""
    kind = type(instance).__name__
    name = getattr(instance, "name", None)
    return f"{kind} {name!r}" if isinstance(name, str) and name else kind


def name_validator(max_length: int) -> Any:
    def check(instance: Any, attribute: Any, value: Any) -> None:
        if (
            type(value) is str
            and len(value) <= max_length
            and value.strip()
            and is_name_text(value)
        ):
            return  # valid: the messages below are built only for what is refused
        kind = type(instance).__name__
        if not isinstance(value, str) or not value.strip():
            raise ValidationError(
                f"{kind}: {attribute.name} must be a non-empty string, got {value!r}"
            )
        if len(value) > max_length:
            raise ValidationError(
                f"{kind} {value[:40]!r}…: {attribute.name} must be at most {max_length} characters, "
                f"got {len(value)}"
            )
        check_name_text(value, describe(instance), attribute.name)

    return check


def optional_text(max_length: int) -> Any:
    def check(instance: Any, attribute: Any, value: Any) -> None:
        if value is None:
            return
        if not isinstance(value, str):
            raise ValidationError(
                f"{describe(instance)}: {attribute.name} must be a string or None, got {value!r}"
            )
        if len(value) > max_length:
            raise ValidationError(
                f"{describe(instance)}: {attribute.name} must be at most {max_length} characters, "
                f"got {len(value)}"
            )
        check_description_text(value, describe(instance), attribute.name)

    return check


def to_tuple(value: Any) -> Any:
    """Lists, generators and other iterables become tuples; strings and scalars stay as they are."""
    kind = type(value)
    if kind is tuple:
        return value
    if kind is list:
        return tuple(value)
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return value
    return tuple(value)


def items_of(kind: type, *, min_items: int = 0, max_items: int | None = None) -> Any:
    def check(instance: Any, attribute: Any, value: Any) -> None:
        if (
            type(value) is tuple
            and min_items <= len(value) <= (len(value) if max_items is None else max_items)
            and all(isinstance(item, kind) for item in value)
        ):
            return  # valid: the message below is built only for what is refused
        where = f"{describe(instance)}: {attribute.name}"
        if not isinstance(value, tuple):
            raise ValidationError(f"{where} must be a list of {kind.__name__}, got {value!r}")
        for item in value:
            if not isinstance(item, kind):
                raise ValidationError(
                    f"{where} must hold {kind.__name__} objects, got {type(item).__name__} {item!r}"
                )
        if len(value) < min_items:
            raise ValidationError(
                f"{where} must have at least {min_items} {kind.__name__}"
                f"{'s' if min_items != 1 else ''}, got {len(value)}"
            )
        if max_items is not None and len(value) > max_items:
            raise ValidationError(
                f"{where} must have at most {max_items} {kind.__name__}s, got {len(value)}"
            )

    return check
