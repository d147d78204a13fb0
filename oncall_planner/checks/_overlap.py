"""Which labelled intervals meet a query interval: the few smallest labels, in ``O(k log m)``.

OCP103 and OCP104 name the layers above a hidden layer that are on call while it is hidden.
Comparing every layer with every layer above it is quadratic (500 layers over a year: 90 s);
this index answers "the ``k`` smallest labels among the intervals inserted so far that meet
``[lo, hi)``" in ``O(k log m)`` for ``m`` distinct instants, so ``n`` layers cost ``n log n``.

It is a segment tree over the elementary stretches between the sorted distinct instants, kept
bottom-up in arrays (leaves at ``size + i``). An interval ``[a, b)`` is the union of a few
*canonical* nodes, which hang off the paths from its first and last leaves up to the root.
Inserting it records its label in ``covers`` at each canonical node, and in ``meets`` at each
canonical node and each node on those two paths: every node whose range it meets, except the
nodes below canonical ones. A query decomposes the same way: an interval meets it exactly when it
``covers`` a node on the query's two paths or one of its canonical nodes (a point of the query
then lies in the interval), or ``meets`` one of its canonical nodes. Each node keeps only the
``k`` smallest labels, which is all a query needs; labels must be inserted in decreasing order
(so the new one is always the smallest).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence


class OverlapIndex:
    """Intervals ``[a, b)`` with ends among ``points`` (sorted, distinct) and integer labels,
    inserted in decreasing label order."""

    def __init__(self, points: Sequence[int], k: int) -> None:
        self.points = list(points)
        self.k = k
        stretches = max(len(self.points) - 1, 1)
        size = 1
        while size < stretches:
            size *= 2
        self.size = size
        self.meets: list[list[int] | None] = [None] * (2 * size)
        self.covers: list[list[int] | None] = [None] * (2 * size)

    def _nodes(self, lo: int, hi: int) -> tuple[list[int], list[int]]:
        """The canonical nodes of the stretches ``[lo, hi)`` and the nodes on the paths from
        their first and last leaves to the root."""
        size = self.size
        canonical: list[int] = []
        left, right = lo + size, hi + size
        while left < right:
            if left & 1:
                canonical.append(left)
                left += 1
            if right & 1:
                right -= 1
                canonical.append(right)
            left //= 2
            right //= 2
        path: list[int] = []
        node = (lo + size) // 2
        while node:
            path.append(node)
            node //= 2
        on_path = set(path)
        node = (hi - 1 + size) // 2
        while node and node not in on_path:
            path.append(node)
            node //= 2
        return canonical, path

    def insert(self, a: int, b: int, label: int) -> None:
        """Add ``[a, b)`` (its ends among the points) under ``label``."""
        lo, hi = bisect.bisect_left(self.points, a), bisect.bisect_left(self.points, b)
        if lo >= hi:
            return
        canonical, path = self._nodes(lo, hi)
        k = self.k
        for table, nodes in (
            (self.covers, canonical),
            (self.meets, canonical),
            (self.meets, path),
        ):
            for node in nodes:
                bucket = table[node]
                if bucket is None:
                    table[node] = [label]
                elif bucket[0] != label:  # labels come in decreasing order: this is smallest
                    bucket.insert(0, label)
                    if len(bucket) > k:
                        bucket.pop()

    def meeting(self, a: int, b: int) -> Iterable[int]:
        """Labels of intervals that share some instant with ``[a, b)``, among them the ``k``
        smallest of all such (others may come too; repeats are possible)."""
        lo = max(bisect.bisect_right(self.points, a) - 1, 0)  # the stretch holding a
        hi = min(bisect.bisect_left(self.points, b), len(self.points) - 1)
        if lo >= hi:
            return ()
        canonical, path = self._nodes(lo, hi)
        meets, covers = self.meets, self.covers
        found: list[int] = []
        for node in canonical:
            for table in (covers, meets):
                bucket = table[node]
                if bucket is not None:
                    found.extend(bucket)
        for node in path:
            bucket = covers[node]
            if bucket is not None:
                found.extend(bucket)
        return found

    def smallest_meeting(self, a: int, b: int) -> list[int]:
        """The ``k`` smallest labels of the intervals that share some instant with ``[a, b)``."""
        return sorted(set(self.meeting(a, b)))[: self.k]
