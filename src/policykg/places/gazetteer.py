"""Vietnam's official administrative units, from the data file ``data/gazetteer.json.gz``.

The file is built by ``scripts/build_gazetteer.py`` (see its docstring for the sources) and
loaded lazily, once per process, the first time a place is linked.
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from policykg.text import match_key

LEVELS = {1: "province", 2: "district", 3: "commune"}
# the unit types a written type can name: "thành phố" is a provincial city or a central one
WRITTEN_TYPES: dict[str, tuple[str, ...]] = {
    "tỉnh": ("tỉnh",),
    "thành phố": ("thành phố", "thành phố trung ương"),
    "huyện": ("huyện",),
    "quận": ("quận",),
    "thị xã": ("thị xã",),
    "xã": ("xã", "thị trấn", "phường"),
    "phường": ("phường", "xã"),
    "thị trấn": ("thị trấn", "xã"),
}


@dataclass(frozen=True)
class Unit:
    """One official unit: statistics-office code, level (1 province, 2 district, 3 commune)."""

    code: int
    level: int
    type: str
    name: str
    parent: int | None
    last_seen: str  # date of the latest list that has it: "2025-01-04" for units that still existed

    @property
    def key(self) -> str:
        """Canonical key of the unit, its code padded by level: ``03638``, ``110``, ``12``."""
        return str(self.code).zfill({1: 2, 2: 3, 3: 5}[self.level])


@dataclass(frozen=True)
class NewUnit:
    """A unit of the list in force since the 2025 reform (its codes are a separate namespace)."""

    code: int
    level: int
    type: str
    name: str
    province: int | None

    @property
    def key(self) -> str:
        return str(self.code).zfill(5 if self.level == 3 else 2)


class Gazetteer:
    """Lookups over the official units."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.sources = data["sources"]
        self.units = {(u[1], u[0]): Unit(*u) for u in data["units"]}
        self._by_name: dict[str, list[Unit]] = defaultdict(list)
        for unit in self.units.values():
            self._by_name[match_key(unit.name)].append(unit)
        self.former_parents = {
            tuple(map(int, key.split(":"))): [(parent, when) for parent, when in items]
            for key, items in data["former_parents"].items()
        }
        self.units_2025 = {(u[1], u[0]): NewUnit(*u) for u in data["units_2025"]}
        self.successors = {int(k): v for k, v in data["successors"].items()}
        self.partly = set(data["partly"])
        self.province_successors = {int(k): v for k, v in data["province_successors"].items()}

    def candidates(self, written_type: str, name: str) -> list[Unit]:
        """Units whose name is ``name`` and whose type the written type can mean."""
        types = WRITTEN_TYPES.get(written_type, ())
        return [u for u in self._by_name.get(match_key(name), []) if u.type in types]

    def parent(self, unit: Unit, as_of: str | None = None, named: set[str] | None = None) -> Unit | None:
        """The unit above: the one the text names if it is one of them, else the one of that date."""
        options = [(unit.parent, "2025-01-04"), *self.former_parents.get((unit.level, unit.code), [])]
        level = 1 if unit.level == 2 else 2
        found = [
            (above, when)
            for code, when in options
            if code is not None and (above := self.units.get((level, code))) is not None
        ]
        if named:
            for u, _ in found:
                if match_key(u.name) in named:
                    return u
        if as_of:
            earlier = [(u, when) for u, when in found if when >= as_of[:7]]
            if earlier:
                return min(earlier, key=lambda item: item[1])[0]
        return found[0][0] if found else None

    def parents(self, unit: Unit) -> list[Unit]:
        """Every unit that has been directly above ``unit`` in any list."""
        level = 1 if unit.level == 2 else 2
        codes = [unit.parent] + [code for code, _ in self.former_parents.get((unit.level, unit.code), [])]
        return [self.units[(level, c)] for c in codes if c is not None and (level, c) in self.units]

    def province_of(self, unit: Unit) -> Unit | None:
        current: Unit | None = unit
        while current is not None and current.level > 1:
            current = self.units.get((current.level - 1, current.parent)) if current.parent else None
        return current

    def successors_of(self, unit: Unit) -> list[NewUnit]:
        """The unit(s) that took over ``unit`` in the 2025 reform (communes and provinces)."""
        if unit.level == 3:
            codes, level = self.successors.get(unit.code, []), 3
        elif unit.level == 1:
            codes, level = self.province_successors.get(unit.code, []), 1
        else:
            return []  # districts were abolished
        return [self.units_2025[(level, c)] for c in codes if (level, c) in self.units_2025]


@cache
def load() -> Gazetteer:
    """The gazetteer shipped in the package."""
    raw = (resources.files("policykg") / "data" / "gazetteer.json.gz").read_bytes()
    return Gazetteer(json.loads(gzip.decompress(raw)))
