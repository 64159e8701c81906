"""Build ``src/policykg/data/gazetteer.json.gz`` from the releases of ``vietnam-provinces``.

Run by hand when the pin changes (CI does not rebuild the file; see shared/GAZETTEER.md):

    python scripts/build_gazetteer.py            # downloads the pinned wheels with pip
    python scripts/build_gazetteer.py --wheels DIR   # or reads *.whl already in DIR

The package (GPL-3.0) is read here only, never imported at run time: the names and codes are
the State's official catalogue, and the output is one project-owned data file.

What the file holds (codes are the statistics office's):

- ``units``: every province (level 1), district (2) and commune-level unit (3) of the list of
  2025-01-04, plus the units of earlier snapshots that no longer exist then, each as
  ``[code, level, type, name, parent_code, last_snapshot]``; names without their type word.
- ``former_parents``: units whose parent changed between snapshots: ``code -> [[parent, snapshot]]``.
- ``units_2025``: the units after the July 2025 reform, ``[code, level, type, name, province]``
  (codes reused from old units, so they live in their own table).
- ``successors``: old commune code -> new commune codes; ``partly`` lists the old communes
  that were split; ``province_successors`` likewise for provinces.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "vietnam-provinces"
CURRENT = "2026.9.0"
SNAPSHOTS = {"0.2": "2020-03", "0.3.0": "2021-02", "0.5.0": "2023-05"}
CURRENT_LIST_DATE = "2025-01-04"
OUT = Path(__file__).resolve().parents[1] / "src" / "policykg" / "data" / "gazetteer.json.gz"
_LEVEL_OF_TYPE = {
    "tỉnh": 1,
    "thành phố trung ương": 1,
    "huyện": 2,
    "quận": 2,
    "thị xã": 2,
    "thành phố": 2,
    "xã": 3,
    "phường": 3,
    "thị trấn": 3,
}
_TYPE_WORDS = sorted(
    ["Thành phố", "Tỉnh", "Huyện", "Quận", "Thị xã", "Xã", "Phường", "Thị trấn"], key=len, reverse=True
)


def bare_name(name: str) -> str:
    """``Xã Tà Mung`` -> ``Tà Mung``; ``Thành phố Hà Nội`` -> ``Hà Nội``."""
    for word in _TYPE_WORDS:
        if name.startswith(word + " "):
            return name[len(word) + 1 :]
    return name


def download(folder: Path) -> None:
    for version in [CURRENT, *SNAPSHOTS]:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary=:all:",
                "--ignore-requires-python",
                "-q",
                "-d",
                str(folder),
                f"{PACKAGE}=={version}",
            ],
            check=True,
        )


def wheel(folder: Path, version: str) -> Path:
    found = sorted(folder.glob(f"vietnam_provinces-{version}-*.whl"))
    if not found:
        sys.exit(f"no wheel of {PACKAGE} {version} in {folder}")
    return found[0]


def snapshot_units(path: Path) -> list[tuple[int, int, str, str, int | None]]:
    """(code, level, type, name, parent) of a snapshot's nested-divisions.json."""
    with zipfile.ZipFile(path) as archive:
        data = json.loads(archive.read("vietnam_provinces/data/nested-divisions.json"))
    units = []
    for province in data:
        units.append((province["code"], 1, province["division_type"], bare_name(province["name"]), None))
        for district in province.get("districts", []):
            units.append(
                (
                    district["code"],
                    2,
                    district["division_type"],
                    bare_name(district["name"]),
                    province["code"],
                )
            )
            for ward in district.get("wards", []):
                units.append(
                    (ward["code"], 3, ward["division_type"], bare_name(ward["name"]), district["code"])
                )
    return units


def current_tables(path: Path, work: Path) -> dict:
    """The 2025-01-04 list, the 2025 list and the conversion tables of the current release."""
    with zipfile.ZipFile(path) as archive:
        archive.extractall(work)
    sys.path.insert(0, str(work))
    from vietnam_provinces import _province_conversion_2025 as provinces_2025
    from vietnam_provinces import _ward_conversion_2025 as wards_2025
    from vietnam_provinces.legacy import _lookup as legacy

    def value(member) -> str:
        return str(getattr(member, "value", member))

    units = [
        (p.code.value, 1, value(p.division_type), bare_name(p.name), None)
        for p in legacy.PROVINCE_MAPPING.values()
    ]
    units += [
        (d.code.value, 2, value(d.division_type), bare_name(d.name), d.province_code.value)
        for d in legacy.DISTRICT_MAPPING.values()
    ]
    units += [
        (w.code.value, 3, value(w.division_type), bare_name(w.name), w.district_code.value)
        for w in legacy.WARD_MAPPING.values()
    ]
    new_data = json.loads((work / "vietnam_provinces" / "data" / "nested-divisions.json").read_text("utf-8"))
    units_2025 = []
    for province in new_data:
        units_2025.append([province["code"], 1, province["division_type"], bare_name(province["name"]), None])
        for ward in province.get("wards", []):
            units_2025.append(
                [ward["code"], 3, ward["division_type"], bare_name(ward["name"]), province["code"]]
            )
    successors = {str(old): [n.code for n in entry.new_wards] for old, entry in wards_2025.OLD_TO_NEW.items()}
    partly = sorted(old for old, entry in wards_2025.OLD_TO_NEW.items() if entry.old_ward.is_partly_merged)
    province_successors = {
        str(old): [n.code for n in entry.new_provinces] for old, entry in provinces_2025.OLD_TO_NEW.items()
    }
    return {
        "units": units,
        "units_2025": units_2025,
        "successors": successors,
        "partly": partly,
        "province_successors": province_successors,
        "effective": wards_2025.EFFECTIVE_DATE,
        "conversion_source": wards_2025.SOURCE,
    }


def build(folder: Path) -> dict:
    with tempfile.TemporaryDirectory() as work:
        current = current_tables(wheel(folder, CURRENT), Path(work))
    by_code: dict[tuple[int, int], list] = {}
    for code, level, kind, name, parent in current["units"]:
        by_code[(level, code)] = [code, level, kind, name, parent, CURRENT_LIST_DATE]
    former_parents: dict[str, list] = {}
    for version, when in sorted(SNAPSHOTS.items(), key=lambda item: item[1], reverse=True):
        for code, level, kind, name, parent in snapshot_units(wheel(folder, version)):
            unit = by_code.get((level, code))
            if unit is None:
                by_code[(level, code)] = [code, level, kind, name, parent, when]
            elif unit[4] != parent and parent is not None and unit[5] != when:
                known = former_parents.setdefault(f"{level}:{code}", [])
                if all(p != parent for p, _ in known):
                    known.append([parent, when])
    units = sorted(by_code.values(), key=lambda u: (u[1], u[0]))
    return {
        "_about": "Vietnam's official administrative units (codes of the statistics office), built by "
        "scripts/build_gazetteer.py; names without their type word.",
        "sources": {
            "package": PACKAGE,
            "current": {"version": CURRENT, "list": CURRENT_LIST_DATE},
            "snapshots": SNAPSHOTS,
            "reform_2025": {"effective": current["effective"], "conversion": current["conversion_source"]},
        },
        "columns": ["code", "level", "type", "name", "parent", "last_seen"],
        "units": units,
        "former_parents": dict(sorted(former_parents.items())),
        "units_2025": current["units_2025"],
        "successors": current["successors"],
        "partly": current["partly"],
        "province_successors": current["province_successors"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheels", type=Path, help="folder with the downloaded wheels (default: download)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.wheels or Path(tmp)
        if args.wheels is None:
            download(folder)
        data = build(folder)
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    args.out.write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))
    counts = {level: sum(1 for u in data["units"] if u[1] == level) for level in (1, 2, 3)}
    print(
        f"wrote {args.out} ({args.out.stat().st_size // 1024} KB): units per level {counts}, "
        f"{len(data['former_parents'])} moved, {len(data['units_2025'])} units of 2025"
    )


if __name__ == "__main__":
    main()
