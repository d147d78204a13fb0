"""Plain blocks of Terraform JSON, read as written (``jsonsyntax.JsonBlock``).

A resource or data block whose arguments are all plain (strings, ``"${a.b.c}"`` references,
whole numbers, booleans, lists of those, nested blocks of the same) is kept as its decoded
object: the builders read it directly and its nodes are made only when something else asks.
These tests hold it to converting every block at once (``READ_PLAIN = False``): the same
nodes at the same offsets, and the same imports, findings and errors, to the line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncall_planner import InputReadError
from oncall_planner.emit.terraform_json import dumps, to_terraform_json
from oncall_planner.ingest import import_terraform
from oncall_planner.ingest.terraform import jsonsyntax
from oncall_planner.ingest.terraform.jsonsyntax import JsonBlock, blocks_from_document
from oncall_planner.ingest.terraform.syntax import Block, Node, Source

DATA = Path(__file__).resolve().parent / "data"


def _node(node: Node) -> Any:
    """A node as plain data: its class, where it is written, and what it holds."""
    fields = {
        name: getattr(node, name)
        for cls in type(node).__mro__
        for name in getattr(cls, "__slots__", ())
        if name not in ("src",) and hasattr(node, name)
    }
    return {"class": type(node).__name__, **{k: _data(v) for k, v in sorted(fields.items())}}


def _data(value: Any) -> Any:
    if isinstance(value, Node):
        return _node(value)
    if isinstance(value, tuple):
        return [_data(v) for v in value]
    return value


def _block(block: Block) -> Any:
    return {
        "type": block.type,
        "labels": block.labels,
        "pos": block.pos,
        "where": block.where(),
        "attributes": {
            name: [attr.pos, attr.where(), _node(attr.expr)]
            for name, attr in block.attributes.items()
        },
        "blocks": [_block(b) for b in block.blocks],
    }


def _both_ways(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Any], list[Any]]:
    data = json.loads(text)
    plain = blocks_from_document(data, Source("x.tf.json", text))
    monkeypatch.setattr(jsonsyntax, "READ_PLAIN", False)
    converted = blocks_from_document(data, Source("x.tf.json", text))
    monkeypatch.setattr(jsonsyntax, "READ_PLAIN", True)
    return [_block(b) for b in plain], [_block(b) for b in converted]


def _emitted_seed() -> str:
    return dumps(to_terraform_json(import_terraform(DATA / "seed-pagerduty.tf").plan))


def test_the_emitters_json_is_read_as_plain_blocks() -> None:
    text = _emitted_seed()
    blocks = blocks_from_document(json.loads(text), Source("x.tf.json", text))
    resources = [b for b in blocks if b.type in ("resource", "data")]
    assert resources and all(type(b) is JsonBlock for b in resources)


def test_plain_blocks_make_the_nodes_converting_at_once_makes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plain, converted = _both_ways(_emitted_seed(), monkeypatch)
    assert plain == converted


@pytest.mark.parametrize(
    "path", sorted([*DATA.rglob("*.tf.json"), DATA / "cdk.tf.json"]), ids=lambda p: p.name
)
def test_json_files_of_the_tests_read_alike_both_ways(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain, converted = _both_ways(path.read_text(encoding="utf-8"), monkeypatch)
    assert plain == converted


_NAMES = st.sampled_from(["a", "b", "c", "name", "users", "id", "type", "start", "//"])
_REFS = st.sampled_from(
    [
        "${pagerduty_user.a.id}",
        "${data.pagerduty_user.b.id}",
        "${pagerduty_schedule.s.id}",
        "${var.nobody}",
        "${local.x}",
        "${true.x}",
        "${a}",
        "${ a.b }",
        "x ${pagerduty_user.a.id}",
        "%{ if true }y%{ endif }",
    ]
)
_SCALARS = st.one_of(
    st.text(max_size=8), _REFS, st.integers(-5, 10**6), st.booleans(), st.none(), st.floats(0, 9)
)
_VALUES = st.one_of(_SCALARS, st.lists(_SCALARS, max_size=4))
_LEAF = st.dictionaries(_NAMES, _VALUES, max_size=4)
_RESTRICTION = st.dictionaries(st.sampled_from(["type", "start_time_of_day", "//"]), _VALUES)
_LAYER = st.fixed_dictionaries(
    {}, optional={"restriction": st.one_of(_RESTRICTION, st.lists(_RESTRICTION, max_size=2))}
).flatmap(lambda d: _LEAF.map(lambda leaf: {**leaf, **d}))
_SCHEDULE = st.fixed_dictionaries(
    {}, optional={"layer": st.one_of(_LAYER, st.lists(_LAYER, max_size=3), _SCALARS)}
).flatmap(lambda d: _LEAF.map(lambda leaf: {**d, **leaf}))


@given(
    schedules=st.dictionaries(st.sampled_from(["s", "t", "u"]), _SCHEDULE, max_size=3),
    users=st.dictionaries(st.sampled_from(["a", "b"]), _LEAF, max_size=2),
    indent=st.sampled_from([None, 1, 2]),
)
def test_any_resource_reads_alike_both_ways(
    schedules: dict[str, Any], users: dict[str, Any], indent: int | None
) -> None:
    document = {
        "resource": {"pagerduty_schedule": schedules, "pagerduty_user": users},
        "data": {"pagerduty_user": users},
    }
    text = json.dumps(document, indent=indent)
    with pytest.MonkeyPatch.context() as monkeypatch:
        try:
            plain, converted = _both_ways(text, monkeypatch)
        except InputReadError as exc:  # refused: refused alike, with the same message
            monkeypatch.setattr(jsonsyntax, "READ_PLAIN", False)
            with pytest.raises(InputReadError) as info:
                blocks_from_document(json.loads(text), Source("x.tf.json", text))
            assert str(info.value) == str(exc)
            return
    assert plain == converted


def _outcome(path: Path) -> Any:
    try:
        result = import_terraform(path)
    except InputReadError as exc:
        return ("refused", str(exc))
    return (result.plan, dict(result.locations), result.notes, result.ignored, result.report())


#: Plain documents whose import leaves something out, refuses it, or warns: each message and
#: line must be what converting at once gives.
_DOCUMENTS = {
    "undeclared-user": {
        "resource": {
            "pagerduty_schedule": {
                "s": {
                    "name": "S",
                    "time_zone": "Etc/UTC",
                    "layer": [
                        {
                            "start": "2025-01-06T00:00:30Z",
                            "rotation_turn_length_seconds": 86400,
                            "users": ["${pagerduty_user.nobody.id}", "PABC123"],
                        }
                    ],
                }
            }
        }
    },
    "undeclared-variable": {
        "resource": {"pagerduty_user": {"a": {"name": "${var.who}", "email": "a@example.com"}}}
    },
    "unknown-attribute": {
        "resource": {
            "pagerduty_team": {"t": {"name": "T"}},
            "pagerduty_user": {"a": {"name": "${pagerduty_team.t.name}", "email": "a@x.io"}},
            "pagerduty_team_membership": {
                "m": {"team_id": "${pagerduty_team.t.id}", "user_id": "${pagerduty_user.a.name}"}
            },
        }
    },
    "wrong-kind": {
        "resource": {
            "pagerduty_team": {"t": {"name": "T"}},
            "pagerduty_escalation_policy": {
                "p": {
                    "name": "P",
                    "rule": {
                        "escalation_delay_in_minutes": 10,
                        "target": {"id": "${pagerduty_team.t.id}", "type": "user_reference"},
                    },
                }
            },
        }
    },
    "bad-number": {
        "resource": {
            "pagerduty_escalation_policy": {
                "p": {"name": "P", "num_loops": 12, "rule": [{"escalation_delay_in_minutes": 1}]}
            }
        }
    },
}


@pytest.mark.parametrize("name", sorted(_DOCUMENTS))
def test_imports_of_plain_documents_match_converting_at_once(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "main.tf.json"
    path.write_text(json.dumps(_DOCUMENTS[name], indent=2), encoding="utf-8")
    plain = _outcome(path)
    monkeypatch.setattr(jsonsyntax, "READ_PLAIN", False)
    assert _outcome(path) == plain


def test_reading_plain_blocks_counts_the_evaluation_steps_converting_at_once_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the step budget (values.MAX_STEPS) must run out at the same point either way
    from oncall_planner.ingest.terraform.expressions import Evaluator

    made: list[Evaluator] = []
    original = Evaluator.__init__

    def record(self: Evaluator, *args: Any) -> None:
        original(self, *args)
        made.append(self)

    monkeypatch.setattr(Evaluator, "__init__", record)
    path = tmp_path / "org.tf.json"
    path.write_text(_emitted_seed(), encoding="utf-8")
    import_terraform(path)
    plain_steps = made[-1].steps
    monkeypatch.setattr(jsonsyntax, "READ_PLAIN", False)
    import_terraform(path)
    assert made[-1].steps == plain_steps > 20


def test_a_comment_is_no_argument_of_a_plain_block(tmp_path: Path) -> None:
    from oncall_planner.ingest.terraform.modules import Instance, ModuleInstance, Parsed, World

    text = json.dumps(
        {
            "resource": {
                "pagerduty_schedule": {
                    "s": {"//": "a note", "name": "S", "layer": [{"//": "x", "name": "L"}]}
                }
            }
        }
    )
    blocks = blocks_from_document(json.loads(text), Source("x.tf.json", text))
    assert type(blocks[0]) is JsonBlock
    world = World(tmp_path, lambda *a: None)
    module = ModuleInstance(world, Parsed(tmp_path, blocks, ["x.tf.json"]), "", {})
    (instance,) = module.instances("managed", "pagerduty_schedule", "s")
    assert isinstance(instance, Instance)
    (layer,) = instance.blocks("layer")
    # as converting at once reads them: a "//" key is a comment, not an argument
    assert (instance.get("//"), instance.has("//"), layer.get("//"), layer.has("//")) == (
        None,
        False,
        None,
        False,
    )
    assert (instance.get("name"), layer.get("name")) == ("S", "L")
    world.close()
