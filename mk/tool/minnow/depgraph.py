"""The package dependency graph: validation, cycles and build order."""

import heapq
from collections import deque
from dataclasses import dataclass

from .diag import at


@dataclass
class Graph:
    packages: dict    # package dir -> Package
    provider: dict    # provided name -> package dir
    deps: dict        # package dir -> set of package dirs it depends on
    requires: dict    # package dir -> names it uses (requires + present optional)
    order: list       # package dirs in build order (empty if there are errors)


def _providers(packages, errors):
    provider, where = {}, {}
    for pkg in packages:
        for n in pkg.provides:
            first = provider.get(n.name)
            if first is None:
                provider[n.name] = pkg.dir
                where[n.name] = f"{pkg.control}:{n.line}"
            elif first != pkg.dir:
                errors.append(at(pkg.control, n.line,
                                 f"'{n.name}' is also provided by {first} "
                                 f"({where[n.name]})"))
    return provider


def _resolve(pkg, provider, errors):
    """The dependencies and used names of one package."""
    deps, names = set(), []
    for n, optional in ([(n, False) for n in pkg.requires]
                        + [(n, True) for n in pkg.optional]):
        dep = provider.get(n.name)
        if dep is None:
            if not optional:
                errors.append(at(pkg.control, n.line,
                                 f"requires '{n.name}', which no package provides"))
            continue
        if dep == pkg.dir:
            errors.append(at(pkg.control, n.line,
                             f"requires '{n.name}', which it provides itself"))
            continue
        deps.add(dep)
        if n.name not in names:
            names.append(n.name)
    return deps, names


def _strong_components(nodes, deps):
    """Tarjan's algorithm; yields sets of mutually reachable nodes."""
    index, low, stack, on_stack, comps = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(deps[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.add(w)
                if w == v:
                    break
            comps.append(comp)

    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return comps


def _cycle_through(start, comp, deps):
    """Shortest cycle start -> ... -> start inside a strong component (BFS)."""
    parent = {start: None}
    queue = deque([start])
    while queue:
        v = queue.popleft()
        for w in sorted(deps[v]):
            if w == start:
                path = [v]
                while parent[path[-1]] is not None:
                    path.append(parent[path[-1]])
                return path[::-1] + [start]
            if w in comp and w not in parent:
                parent[w] = v
                queue.append(w)
    raise AssertionError("strong component without a cycle")


def _cycle_errors(graph):
    errors = []
    for comp in _strong_components(graph.packages, graph.deps):
        if len(comp) < 2:
            continue                     # self-edges are rejected earlier
        cycle = _cycle_through(min(comp), comp, graph.deps)
        steps = [f"{d} ({graph.packages[d].control})" for d in cycle[:-1]]
        errors.append("dependency cycle: " + " -> ".join(steps + [cycle[-1]]))
    return errors


def _topological_order(graph):
    """Kahn's algorithm; among ready packages the alphabetically first wins."""
    waiting = {d: len(graph.deps[d]) for d in graph.packages}
    users = {d: [] for d in graph.packages}
    for d, ds in graph.deps.items():
        for dep in ds:
            users[dep].append(d)
    ready = [d for d, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        d = heapq.heappop(ready)
        order.append(d)
        for user in users[d]:
            waiting[user] -= 1
            if waiting[user] == 0:
                heapq.heappush(ready, user)
    return order


def build_graph(packages):
    """Validate the packages and order them.  Returns (Graph, errors)."""
    errors = []
    provider = _providers(packages, errors)
    graph = Graph({p.dir: p for p in packages}, provider, {}, {}, [])
    for pkg in packages:
        graph.deps[pkg.dir], graph.requires[pkg.dir] = _resolve(pkg, provider, errors)
    errors.extend(_cycle_errors(graph))
    if not errors:
        graph.order = _topological_order(graph)
    return graph, errors


def render_make(graph):
    """The generated makefile fragment describing the graph."""
    pos = {d: i for i, d in enumerate(graph.order)}
    out = ["# generated by mk/tool/pkgdeps.py from the Control files; do not edit",
           "MINNOW_PKGS := " + " ".join(graph.order)]
    for d in graph.order:
        deps = sorted(graph.deps[d], key=pos.get)
        out.append(f"MINNOW_PKG_DEPS.{d} := " + " ".join(deps))
        out.append(f"MINNOW_PKG_CONTROL.{d} := {graph.packages[d].control}")
        out.append(f"MINNOW_PKG_REQUIRES.{d} := " + " ".join(graph.requires[d]))
    for name in sorted(graph.provider):
        out.append(f"MINNOW_PROVIDER.{name} := {graph.provider[name]}")
    return "\n".join(line.rstrip() for line in out) + "\n"
