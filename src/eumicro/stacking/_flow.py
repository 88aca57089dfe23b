"""Minimum-cost flow by successive shortest paths, for count-only "all of" rules.

When every leaf needs only a number of credentials, all are required and nothing else
(caps, totals, coverage, shared leaves) constrains the counted set, a completion is a
flow: source → credential (capacity 1, cost 0 if held, its price if offered) → a leaf
that accepts it (capacity 1) → sink (capacity: the leaf's need). The cheapest completion
is a minimum-cost flow of value "sum of the needs"; successive shortest augmenting paths
(Bellman–Ford on the residual graph, integer costs) find it exactly in polynomial time.
Coverage is not a flow constraint (which credentials count, not how many): rules with
coverage go to the integer program.
"""

from __future__ import annotations

import collections
from collections.abc import Sequence

import attrs


@attrs.define
class _Graph:
    head: list[int] = attrs.Factory(list)
    cap: list[int] = attrs.Factory(list)
    cost: list[int] = attrs.Factory(list)
    out: list[list[int]] = attrs.Factory(list)

    def node(self) -> int:
        self.out.append([])
        return len(self.out) - 1

    def edge(self, a: int, b: int, cap: int, cost: int) -> int:
        self.out[a].append(len(self.head))
        self.head.append(b)
        self.cap.append(cap)
        self.cost.append(cost)
        self.out[b].append(len(self.head))
        self.head.append(a)
        self.cap.append(0)
        self.cost.append(-cost)
        return len(self.head) - 2


def min_cost_assignment(
    eligible: Sequence[Sequence[int]], costs: Sequence[int], needs: Sequence[int]
) -> list[int | None] | None:
    """The cheapest way to fill every leaf's need with distinct credentials.

    Args:
        eligible: per credential, the leaves it may fill.
        costs: per credential, its (non-negative integer) cost.
        needs: per leaf, how many credentials it needs.

    Returns:
        per credential, the leaf it fills (or None), or None when the needs cannot be met.
    """
    g = _Graph()
    source, sink = g.node(), g.node()
    cred_nodes = [g.node() for _ in eligible]
    leaf_nodes = [g.node() for _ in needs]
    uses: list[list[tuple[int, int]]] = []  # per credential: (edge, leaf)
    for c, leaves in enumerate(eligible):
        g.edge(source, cred_nodes[c], 1, costs[c])
        uses.append([(g.edge(cred_nodes[c], leaf_nodes[li], 1, 0), li) for li in leaves])
    for li, need in enumerate(needs):
        if need:
            g.edge(leaf_nodes[li], sink, need, 0)
    wanted = sum(needs)
    n = len(g.out)
    for _ in range(wanted):
        # Bellman–Ford (queue based): the residual graph has no negative cycle.
        dist: list[int | None] = [None] * n
        via = [-1] * n
        dist[source] = 0
        queue = collections.deque([source])
        queued = [False] * n
        queued[source] = True
        while queue:
            a = queue.popleft()
            queued[a] = False
            da = dist[a]
            assert da is not None
            for e in g.out[a]:
                if g.cap[e] <= 0:
                    continue
                b = g.head[e]
                nd = da + g.cost[e]
                db = dist[b]
                if db is None or nd < db:
                    dist[b] = nd
                    via[b] = e
                    if not queued[b]:
                        queued[b] = True
                        queue.append(b)
        if dist[sink] is None:
            return None
        b = sink
        while b != source:
            e = via[b]
            g.cap[e] -= 1
            g.cap[e ^ 1] += 1
            b = g.head[e ^ 1]
    choice: list[int | None] = [None] * len(eligible)
    for c, edges in enumerate(uses):
        for e, li in edges:
            if g.cap[e] == 0:
                choice[c] = li
    return choice
