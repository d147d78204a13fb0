"""Expand what Terraform multiplies: ``count`` and ``for_each`` instances, ``dynamic`` blocks.

``instance_keys`` evaluates a block's ``count`` or ``for_each`` into the keys of its instances
(``None`` for a single instance, ints for ``count``, strings for ``for_each``) and the value
``each.value`` takes for each. ``nested_blocks`` lists the blocks of one type inside a body as
Terraform builds them: written blocks and the blocks ``dynamic`` makes, in the order written,
each with the scope its attributes are evaluated in (``layer.value``, a custom ``iterator``).
"""

from __future__ import annotations

import json
from typing import Any

from oncall_planner.ingest.terraform.expressions import Evaluator, Scope, to_number
from oncall_planner.ingest.terraform.syntax import Block, Var
from oncall_planner.ingest.terraform.values import (
    EvalError,
    Lazy,
    OpaqueOrderError,
    Ref,
    TfSet,
    Unknown,
    check_items,
    describe,
    id_key,
    iterate,
    readable,
)

Instances = list[tuple[Any, dict[str, Any]]]


def key_text(key: Any) -> str:
    """``[0]`` or ``["payments"]``, as Terraform writes an instance key in an address."""
    if key is None:
        return ""
    if isinstance(key, int):
        return f"[{key}]"
    return f"[{json.dumps(readable(key), ensure_ascii=False)}]"


def instance_keys(block: Block, scope: Scope, ev: Evaluator) -> Instances | Unknown | None:
    """The instances a resource, data or module block makes: ``None`` when it has neither
    ``count`` nor ``for_each``; else ``[(key, names)]`` where ``names`` binds ``count`` or
    ``each`` for that instance; :class:`Unknown` when the number of instances is unknown."""
    if "count" in block.attributes and "for_each" in block.attributes:
        raise EvalError(
            "count and for_each cannot both be set on one block", block.attributes["count"].where()
        )
    if "count" in block.attributes:
        attr = block.attributes["count"]
        value = to_number(ev.ev(attr.expr, scope), attr.expr)
        if isinstance(value, Unknown):
            return Unknown(
                f"{attr.where()}: count = `{attr.expr.text()}` is unknown: {value.reason}"
            )
        if (isinstance(value, float) and not value.is_integer()) or value < 0:
            raise EvalError(f"count must be a whole number ≥ 0, got {value}", attr.where())
        check_items(int(value), attr.where())
        return [(i, {"count": {"index": i}}) for i in range(int(value))]
    if "for_each" in block.attributes:
        attr = block.attributes["for_each"]
        each: Any = ev.ev(attr.expr, scope)
        if isinstance(each, Unknown):
            return Unknown(
                f"{attr.where()}: for_each = `{attr.expr.text()}` is unknown: {each.reason}"
            )
        if isinstance(each, Lazy):
            each = each.materialise()
        if isinstance(each, dict):
            check_items(len(each), attr.where())
            return [(k, {"each": {"key": k, "value": each[k]}}) for k in sorted(each)]
        if isinstance(each, TfSet):
            out = []
            for item in each.items:
                if isinstance(item, Unknown):
                    return Unknown(
                        f"{attr.where()}: for_each holds an unknown value: {item.reason}"
                    )
                if isinstance(item, Ref):
                    key = id_key(item)
                    out.append((key, {"each": {"key": key, "value": item}}))
                    continue
                if not isinstance(item, str):
                    raise EvalError(
                        f"for_each needs a map or a set of strings, got a set holding "
                        f"{describe(item)}",
                        attr.where(),
                    )
                out.append((item, {"each": {"key": item, "value": item}}))
            return out
        if each is None:
            raise EvalError("for_each cannot be null", attr.where())
        raise EvalError(
            f"for_each needs a map or a set of strings, got {describe(each)} (Terraform refuses "
            "a list: wrap it in toset())",
            attr.where(),
        )
    return None


def nested_blocks(
    block: Block, type_: str, scope: Scope, ev: Evaluator
) -> list[tuple[Block, Scope]] | Unknown:
    """The ``type_`` blocks inside ``block``, written and dynamic, in order, with scopes."""
    out: list[tuple[Block, Scope]] = []
    for child in block.blocks:
        if child.type == type_:
            out.append((child, scope))
        elif child.type == "dynamic" and child.labels[:1] == (type_,):
            made = _dynamic(child, type_, scope, ev)
            if isinstance(made, Unknown):
                return made
            out.extend(made)
    return out


def _dynamic(
    block: Block, type_: str, scope: Scope, ev: Evaluator
) -> list[tuple[Block, Scope]] | Unknown:
    if "for_each" not in block.attributes:
        raise EvalError(f'dynamic "{type_}" needs for_each', block.where())
    attr = block.attributes["for_each"]
    value = ev.ev(attr.expr, scope)
    if isinstance(value, Unknown):
        return Unknown(
            f'{attr.where()}: dynamic "{type_}" for_each = `{attr.expr.text()}` is unknown: '
            f"{value.reason}"
        )
    if value is None:
        raise EvalError(f'dynamic "{type_}": for_each cannot be null', attr.where())
    name = type_
    if "iterator" in block.attributes:
        it = block.attributes["iterator"].expr
        if not isinstance(it, Var):
            raise EvalError("iterator must be a name", block.attributes["iterator"].where())
        name = it.name
    contents = list(block.nested("content"))
    if len(contents) != 1:
        raise EvalError(f'dynamic "{type_}" needs exactly one content block', block.where())
    content = contents[0]
    try:
        pairs = iterate(value)
    except EvalError as exc:
        raise EvalError(exc.message, attr.where()) from None
    except OpaqueOrderError:
        return Unknown(
            f'{attr.where()}: dynamic "{type_}" iterates a map keyed by PagerDuty IDs, whose '
            "order only PagerDuty knows"
        )
    check_items(len(pairs), attr.where())
    return [(content, scope.child({name: {"key": k, "value": v}})) for k, v in pairs]
