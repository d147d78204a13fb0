"""The index behind OCP103/OCP104's "layers above it": the same answer as comparing every pair."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from oncall_planner.checks._overlap import OverlapIndex

spans = st.tuples(st.integers(0, 40), st.integers(1, 12)).map(lambda p: (p[0], p[0] + p[1]))


@given(
    layers=st.lists(st.lists(spans, max_size=4), min_size=1, max_size=12),
    query=spans,
    k=st.integers(1, 4),
)
def test_the_smallest_labels_meeting_a_query_are_those_of_a_pairwise_search(
    layers: list[list[tuple[int, int]]], query: tuple[int, int], k: int
) -> None:
    points = sorted({t for layer in layers for span in layer for t in span})
    index = OverlapIndex(points, k)
    for label in range(len(layers) - 1, -1, -1):  # the index wants decreasing labels
        for a, b in layers[label]:
            index.insert(a, b, label)
    a, b = query
    expected = sorted(
        {label for label, layer in enumerate(layers) for s, e in layer if s < b and a < e}
    )[:k]
    assert index.smallest_meeting(a, b) == expected
