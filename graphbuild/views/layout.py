"""Node positions computed in Python, for graphs too big for in-browser physics.

Small graphs use ``networkx.spring_layout`` (seeded).  From 500 nodes networkx
switches to scipy-based solvers; rather than require scipy, big graphs use the
same Fruchterman-Reingold model written here with numpy, in row blocks so the
memory stays bounded, and fewer iterations as the graph grows.
"""
from __future__ import annotations

import math

import networkx as nx
import numpy as np

SEED = 42
_BLOCK = 512


def layout_positions(G: nx.Graph, *, seed: int = SEED) -> dict:
    """Node -> (x, y) in pixels (rounded, deterministic), for a simple weighted graph."""
    nodes = sorted(G.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    if n < 500:
        H = nx.Graph()
        H.add_nodes_from(nodes)
        H.add_weighted_edges_from(sorted((u, v, d.get("weight", 1)) for u, v, d in G.edges(data=True)))
        raw = nx.spring_layout(H, seed=seed, iterations=100)
        coords = np.array([raw[v] for v in nodes], dtype=float)
    else:
        index = {v: i for i, v in enumerate(nodes)}
        edges = np.array(sorted((index[u], index[v], d.get("weight", 1))
                                for u, v, d in G.edges(data=True) if u != v),
                         dtype=float).reshape(-1, 3)
        iterations = 50 if n <= 3000 else 30
        coords = _fruchterman_reingold(n, edges, iterations=iterations, seed=seed)
    coords -= coords.mean(axis=0)
    extent = float(np.abs(coords).max()) or 1.0
    scale = 45.0 * math.sqrt(n)  # pixels: keeps the density of nodes about constant
    coords = coords / extent * scale
    return {v: (round(float(x), 1), round(float(y), 1)) for v, (x, y) in zip(nodes, coords)}


def _fruchterman_reingold(n: int, edges: np.ndarray, *, iterations: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x, y = rng.random(n, dtype=np.float32), rng.random(n, dtype=np.float32)
    k2 = np.float32(1.0 / n)
    k = math.sqrt(1.0 / n)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    src, dst = edges[:, 0].astype(np.intp), edges[:, 1].astype(np.intp)
    weight = edges[:, 2].astype(np.float32)
    for _ in range(iterations):
        dx_sum = np.empty(n, dtype=np.float32)
        dy_sum = np.empty(n, dtype=np.float32)
        for start in range(0, n, _BLOCK):
            stop = min(n, start + _BLOCK)
            dx = x[start:stop, None] - x[None, :]
            dy = y[start:stop, None] - y[None, :]
            force = dx * dx
            force += dy * dy
            np.maximum(force, 1e-6, out=force)
            np.divide(k2, force, out=force)  # repulsion k^2 / d, along the unit vector
            dx_sum[start:stop] = (dx * force).sum(axis=1)
            dy_sum[start:stop] = (dy * force).sum(axis=1)
        if len(src):
            ex, ey = x[src] - x[dst], y[src] - y[dst]
            pull = np.sqrt(ex * ex + ey * ey) * weight / np.float32(k)  # attraction d^2 / k
            np.add.at(dx_sum, src, -ex * pull)
            np.add.at(dy_sum, src, -ey * pull)
            np.add.at(dx_sum, dst, ex * pull)
            np.add.at(dy_sum, dst, ey * pull)
        gravity = np.float32(0.05 * n * k)  # keeps separate components close
        dx_sum -= (x - 0.5) * gravity
        dy_sum -= (y - 0.5) * gravity
        length = np.maximum(np.sqrt(dx_sum * dx_sum + dy_sum * dy_sum), 1e-6)
        step = np.minimum(length, temperature) / length
        x += dx_sum * step
        y += dy_sum * step
        temperature -= cooling
    return np.column_stack([x, y]).astype(float)
