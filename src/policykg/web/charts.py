"""Pictures for the server's pages, drawn here as SVG (no script, nothing fetched): an entity's
neighbourhood and a document's implementations over time (issue 16)."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

# a colour per kind of entity, by its IRI path (id/<kind>/…)
KIND_COLOURS = {
    "document": "#b5651d",
    "org": "#c0392b",
    "body": "#8e44ad",
    "locality": "#27ae60",
    "person": "#2c7fb8",
    "achievement": "#7f8c8d",
    "article": "#95a5a6",
}


@dataclass(frozen=True)
class Neighbour:
    """An entity linked to the page's entity: by what (predicates) and how often (facts)."""

    iri: str
    label: str
    link: str  # where it is on the server
    predicates: tuple[str, ...]
    weight: int
    outgoing: bool


def kind_of(iri: str) -> str:
    """The kind an instance IRI names (``…/id/locality/vn/03638`` → ``locality``)."""
    return iri.split("/id/", 1)[-1].split("/", 1)[0]


def _short(text: str, limit: int = 36) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def neighbourhood_svg(label: str, iri: str, neighbours: Sequence[Neighbour], radius: int = 190) -> str:
    """The entity in the middle, its neighbours on a circle around it, an edge to each as wide as
    the facts behind it, each neighbour a link to its own page (labels have room either side)."""
    e = html.escape
    width, height = 2 * (radius + 250), 2 * (radius + 30)
    cx, cy = width / 2, height / 2
    heaviest = max((n.weight for n in neighbours), default=1)
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' class='neighbourhood' viewBox='0 0 {width} {height}' "
        f"width='{width}' height='{height}' role='img' aria-label='{e(label)} and what it is linked to'>",
        "<style>text{font:12px sans-serif}.edge{stroke:#aaa}.centre{font-weight:bold}</style>",
    ]
    placed = []
    for i, neighbour in enumerate(neighbours):
        angle = 2 * math.pi * i / max(1, len(neighbours)) - math.pi / 2
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        placed.append((neighbour, x, y))
        stroke = 1 + 5 * neighbour.weight / heaviest
        title = f"{', '.join(neighbour.predicates)} ({neighbour.weight})"
        parts.append(
            f"<line class='edge' x1='{cx:.1f}' y1='{cy:.1f}' x2='{x:.1f}' y2='{y:.1f}' "
            f"stroke-width='{stroke:.1f}'><title>{e(title)}</title></line>"
        )
    for neighbour, x, y in placed:
        colour = KIND_COLOURS.get(kind_of(neighbour.iri), "#555")
        anchor = "start" if x >= cx - 1 else "end"
        dx = 10 if x >= cx - 1 else -10
        parts.append(
            f"<a class='neighbour' href='{e(neighbour.link)}'><circle cx='{x:.1f}' cy='{y:.1f}' r='7' "
            f"fill='{colour}'><title>{e(neighbour.label)}: {e(', '.join(neighbour.predicates))}</title></circle>"
            f"<text x='{x + dx:.1f}' y='{y + 4:.1f}' text-anchor='{anchor}'>{e(_short(neighbour.label))}</text></a>"
        )
    colour = KIND_COLOURS.get(kind_of(iri), "#555")
    parts.append(
        f"<circle cx='{cx}' cy='{cy}' r='12' fill='{colour}'/>"
        f"<text class='centre' x='{cx}' y='{cy + 28}' text-anchor='middle'>{e(_short(label, 40))}</text>"
        "</svg>"
    )
    return "".join(parts)


def by_period(counts: Sequence[tuple[str, int]], most_months: int = 36) -> list[tuple[str, int]]:
    """Monthly counts (``YYYY-MM``) as they are, or by year when they span more than ``most_months``."""
    if not counts:
        return []
    first, last = counts[0][0], counts[-1][0]
    span = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7]) - int(first[5:7]) + 1
    if span <= most_months:
        months = dict(counts)
        out, year, month = [], int(first[:4]), int(first[5:7])
        for _ in range(span):  # every month of the span, the empty ones too
            key = f"{year:04d}-{month:02d}"
            out.append((key, months.get(key, 0)))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out
    years: dict[str, int] = {}
    for month_key, n in counts:
        years[month_key[:4]] = years.get(month_key[:4], 0) + n
    return [(str(y), years.get(str(y), 0)) for y in range(int(first[:4]), int(last[:4]) + 1)]


def timeline_svg(periods: Sequence[tuple[str, int]], what: str, width: int = 640, height: int = 220) -> str:
    """A bar per period (month or year) with its count; ``what`` says what is counted."""
    e = html.escape
    top = max((n for _, n in periods), default=0) or 1
    left, bottom, gap = 36, 40, 2
    bar = (width - left - 10) / max(1, len(periods))
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' class='timeline' viewBox='0 0 {width} {height}' "
        f"width='{width}' height='{height}' role='img' aria-label='{e(what)}'>",
        "<style>text{font:11px sans-serif}.bar{fill:#2c7fb8}</style>",
        f"<text x='{left}' y='12'>{e(what)} (highest: {top})</text>",
        f"<line x1='{left}' y1='{height - bottom}' x2='{width - 10}' y2='{height - bottom}' stroke='#333'/>",
    ]
    every = max(1, math.ceil(len(periods) / 12))  # at most about 12 labels on the axis
    for i, (period, n) in enumerate(periods):
        h = (height - bottom - 24) * n / top
        x = left + i * bar
        parts.append(
            f"<rect class='bar' x='{x + gap / 2:.1f}' y='{height - bottom - h:.1f}' width='{max(1.0, bar - gap):.1f}' "
            f"height='{h:.1f}'><title>{e(period)}: {n}</title></rect>"
        )
        if i % every == 0:
            parts.append(f"<text x='{x + bar / 2:.1f}' y='{height - bottom + 14}' text-anchor='middle'>{e(period)}</text>")
    parts.append("</svg>")
    return "".join(parts)
