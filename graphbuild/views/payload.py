"""networkx interaction graph -> the data of the HTML page (vis nodes, edges, options).

The vis-network node/edge/options model is built with :class:`pyvis.network.Network`;
the page itself is written by :mod:`graphbuild.views.html`.  Page ids are short and
positional (``n0``, ``e0``) so that no IRI (hence no ``http``) reaches the page, and
everything is sorted so that the same graph gives the same page.
"""
from __future__ import annotations

import hashlib
import json
import math
from collections import Counter, defaultdict

import networkx as nx

from .layout import SEED, layout_positions
from .model import ACTS, GENERIC_MODE, MODES, TOPIC_MODE

MODE_COLORS = {
    "phonecall": "#1f6fb2", "meeting": "#2e9e44", "visit": "#8e44ad", "message": "#e67e22",
    "statement": "#6c7a89", "negotiation": "#c0392b", "interaction": "#34495e", "topic": "#b5b5b5",
}
MODE_ORDER = [key for key, _ in MODES.values()] + [GENERIC_MODE[0], TOPIC_MODE[0]]
MODE_LABELS = {key: label for key, label in [*MODES.values(), GENERIC_MODE, TOPIC_MODE]}
ACT_LABELS = {key: label for key, label in ACTS.values()}

TYPES = {  # type -> (vis shape, border colour, French label, base size)
    "person": ("dot", "#243447", "Personne", 10),
    "state": ("square", "#0b2545", "État", 14),
    "organization": ("triangle", "#5b2a86", "Organisation", 13),
    "actor": ("diamond", "#4a4a4a", "Acteur", 11),
    "topic": ("box", "#b08900", "Sujet", 0),
}
#: affiliation colours (state or organisation represented), picked by a stable hash
PALETTE = [
    "#6f9bd1", "#f4a259", "#e5625e", "#5fbfb2", "#86c46d", "#f1d056", "#a98bd6", "#f29ac0",
    "#b98b63", "#b5b84c", "#62c4e6", "#d36fbf", "#5d72b8", "#f28c7a", "#9edfb0", "#cdb3e8",
]
NO_AFFILIATION = "#d5d8dc"
TOPIC_FILL = "#fff4c2"


def _slot(key: str) -> int:
    """Palette index of a state or organisation key, from a stable hash (not Python's hash())."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % len(PALETTE)


def assign_colors(keys) -> dict[str, str]:
    """Hash colours, moved to the next free slot when two keys of one view collide.

    A key keeps its hash colour unless an earlier key (in sorted order) took it first;
    beyond ``len(PALETTE)`` keys colours repeat.
    """
    colors, used = {}, set()
    for key in sorted(set(keys)):
        slot = _slot(key)
        if len(used) < len(PALETTE):
            while slot in used:
                slot = (slot + 1) % len(PALETTE)
        used.add(slot)
        colors[key] = PALETTE[slot]
    return colors


def edge_width(count: int) -> float:
    """Same formula as widthFor() in view.js."""
    return round(min(12.0, 1.5 + 2.2 * math.log2(count)), 2) if count > 0 else 1.5


def compact(iri: str) -> str:
    """The last two path segments of an IRI (``person/vladimir-poutine``): no scheme, no host."""
    parts = [p for p in iri.replace("#", "/").split("/") if p]
    return "/".join(parts[-2:]) if len(parts) > 1 else (parts[0] if parts else "")


def _interaction(data: dict) -> dict:
    return {
        "mode": data["mode"], "date": data.get("date", ""), "acts": list(data.get("acts", [])),
        "topics": list(data.get("topics", [])), "evidence": list(data.get("evidence", [])),
        "quotes": list(data.get("quotes", [])), "place": data.get("place", ""),
        "documents": [[d["id"], d["title"]] for d in data.get("documents", [])],
        "source": data.get("source_label", ""), "target": data.get("target_label", ""),
        "directed": bool(data.get("directed")), "kind": data.get("kind", "interaction"),
        "confidence": data.get("confidence"),
    }


def _merge_edges(G: nx.MultiDiGraph):
    """(u, v, directed, kind) -> sorted list of interaction data; the view's one edge per pair."""
    groups = defaultdict(list)
    for u, v, key, data in G.edges(keys=True, data=True):
        groups[(u, v, bool(data.get("directed")), data.get("kind", "interaction"))].append((key, data))
    for items in groups.values():
        items.sort(key=lambda kd: (kd[1].get("date") or "9999", kd[0]))
    return dict(sorted(groups.items()))


def _dominant_mode(modes: list[str]) -> str:
    counts = Counter(modes)
    return min(counts, key=lambda m: (-counts[m], MODE_ORDER.index(m) if m in MODE_ORDER else 99))


def build_view_data(G: nx.MultiDiGraph, *, title: str, physics_threshold: int) -> dict:
    """Everything the page needs, as plain JSON-able data (no HTML anywhere)."""
    node_order = sorted(G.nodes)
    nid = {node: f"n{i}" for i, node in enumerate(node_order)}
    groups = _merge_edges(G)

    weights = nx.Graph()
    weights.add_nodes_from(node_order)
    for (u, v, _, _), items in groups.items():
        if u != v:
            w = weights[u][v]["weight"] if weights.has_edge(u, v) else 0
            weights.add_edge(u, v, weight=w + len(items))
    degree = dict(weights.degree(weight="weight"))

    use_physics = len(node_order) < physics_threshold
    positions = {} if use_physics else layout_positions(weights)

    affiliations = {node: _affiliation(G.nodes[node], node) for node in node_order}
    palette = assign_colors(key for key in affiliations.values() if key)
    affiliation_labels = {}
    for node, key in affiliations.items():
        if key:
            attrs = G.nodes[node]
            label = (attrs.get("state_label") if attrs.get("state") else
                     attrs.get("label") if attrs.get("type") == "organization" else
                     attrs.get("organization_label"))
            affiliation_labels.setdefault(key, label or key)
    members = Counter(key for key in affiliations.values() if key)

    from pyvis.network import Network  # imported here: pyvis pulls in IPython and jinja2

    net = Network(height="100%", width="100%", directed=True, bgcolor="#ffffff")
    meta, states = {}, {}
    for node in node_order:
        attrs = G.nodes[node]
        kind = attrs.get("type", "actor")
        shape, border, type_label, base = TYPES.get(kind, TYPES["actor"])
        key = affiliations[node]
        fill = TOPIC_FILL if kind == "topic" else palette.get(key, NO_AFFILIATION)
        options = {
            "color": {"background": fill, "border": border,
                      "highlight": {"background": fill, "border": "#d35400"},
                      "hover": {"background": fill, "border": "#d35400"}},
            "borderWidth": 3 if kind in ("state", "organization") else 2,
        }
        if kind == "topic":
            options["font"] = {"size": 12, "color": "#5c4a00"}
        else:
            options["size"] = round(min(42.0, base + 4.0 * math.sqrt(degree.get(node, 0))), 1)
        if node in positions:
            options["x"], options["y"] = positions[node]
        net.add_node(nid[node], label=attrs.get("label") or compact(node), shape=shape, **options)
        state_key = compact(attrs["state"]) if attrs.get("state") else ""
        if state_key:
            states.setdefault(state_key, attrs.get("state_label") or state_key)
        meta[nid[node]] = {
            "label": attrs.get("label", ""), "type": kind, "typeLabel": type_label,
            "key": compact(attrs.get("iri", node)), "role": attrs.get("role", ""),
            "state": state_key, "stateLabel": attrs.get("state_label", ""),
            "organization": attrs.get("organization_label", ""),
            "aliases": list(attrs.get("aliases", [])), "wikidata": list(attrs.get("wikidata", [])),
            "members": list(attrs.get("members", [])), "color": fill,
        }

    interactions, edge_meta = [], {}
    mode_counts, act_counts = Counter(), Counter()
    for i, ((u, v, directed, kind), items) in enumerate(groups.items()):
        eid = f"e{i}"
        first = len(interactions)
        for _, data in items:
            inter = _interaction(data)
            interactions.append(inter)
            mode_counts[inter["mode"]] += 1
            if kind == "interaction":
                act_counts.update(inter["acts"] or ["none"])
        indices = list(range(first, len(interactions)))
        mode = _dominant_mode([interactions[j]["mode"] for j in indices])
        options = {
            "id": eid, "color": _edge_color(MODE_COLORS.get(mode, "#34495e")),
            "width": edge_width(len(indices)),
            "arrows": {"to": {"enabled": directed, "scaleFactor": 0.7}},
            "smooth": ({"enabled": True, "type": "curvedCW", "roundness": 0.18} if directed
                       else {"enabled": False}),
        }
        if kind == "topic":
            options["dashes"] = True
        net.add_edge(nid[u], nid[v], **options)
        edge_meta[eid] = {"ix": indices, "directed": directed, "kind": kind, "count": len(indices)}

    net.options = _vis_options(len(node_order), use_physics)
    nodes, edges, _, _, _, options_json = net.get_network_data()
    for edge in edges:
        edge.update(edge_meta[edge["id"]])
    dates = sorted(i["date"] for i in interactions if i["date"])
    return {
        "title": title,
        "level": G.graph.get("level", "actor"),
        "focus": G.graph.get("focus", ""),
        "physics": use_physics,
        "nodes": nodes, "edges": edges, "options": json.loads(options_json), "meta": meta,
        "interactions": interactions,
        "modes": [{"key": m, "label": MODE_LABELS.get(m, m), "color": MODE_COLORS.get(m, "#34495e"),
                   "count": mode_counts[m]} for m in MODE_ORDER if mode_counts[m]],
        "acts": [{"key": key, "label": label, "count": act_counts[key]}
                 for key, label in [*ACT_LABELS.items(), ("none", "(aucun acte)")]
                 if act_counts[key]],
        "states": [{"key": k, "label": states[k], "color": palette.get(k, NO_AFFILIATION)}
                   for k in sorted(states, key=lambda k: (states[k].casefold(), k))],
        "affiliations": [{"key": k, "label": affiliation_labels[k], "color": palette[k],
                          "count": members[k]}
                         for k in sorted(affiliation_labels, key=lambda k: (
                             -members[k], affiliation_labels[k].casefold(), k))],
        "types": [{"key": k, "label": TYPES[k][2], "shape": TYPES[k][0], "border": TYPES[k][1]}
                  for k in TYPES if any(m["type"] == k for m in meta.values())],
        "dateRange": [dates[0], dates[-1]] if dates else ["", ""],
        "counts": {"nodes": len(nodes), "edges": len(edges), "interactions": len(interactions)},
    }


def _edge_color(color: str) -> dict:
    """Selected and hovered edges keep their mode colour (they get wider instead)."""
    return {"color": color, "highlight": color, "hover": color, "opacity": 0.9}


def _affiliation(attrs: dict, node: str) -> str:
    """Key of whom the node acts for (its state, else organisation), used for its colour."""
    if attrs.get("type") == "topic":
        return ""
    if attrs.get("type") == "organization":
        return compact(attrs.get("state") or attrs.get("iri", node))
    return compact(attrs.get("state") or attrs.get("organization") or "")


def _vis_options(n: int, physics: bool) -> dict:
    options = {
        "autoResize": True,
        "nodes": {
            "font": {"size": 14, "face": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
                     "color": "#1f2933", "strokeWidth": 4, "strokeColor": "#ffffff"},
            "borderWidthSelected": 4,
            "shapeProperties": {"interpolation": False},
        },
        "edges": {"selectionWidth": 2.5, "hoverWidth": 2, "color": {"inherit": False}},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": n > 500,
                        "hideEdgesOnZoom": n > 1500, "navigationButtons": False, "keyboard": False},
        "layout": {"randomSeed": SEED, "improvedLayout": physics and n <= 150},
    }
    if physics:
        options["physics"] = {
            "enabled": True, "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -90, "centralGravity": 0.012,
                                 "springLength": 130, "springConstant": 0.06, "damping": 0.55,
                                 "avoidOverlap": 0.7},
            "stabilization": {"enabled": True, "iterations": min(1000, 200 + 4 * n),
                              "updateInterval": 50, "fit": True},
            "minVelocity": 1.0, "maxVelocity": 60, "timestep": 0.5,
        }
    else:
        options["physics"] = {"enabled": False}
    return options
