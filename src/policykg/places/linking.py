"""Linking the places of one article to official administrative units.

Each Locality the text names is looked up by name and written type; candidates are scored by
the parents the article gives it (apposition, parentheses, context) and by the other places
the article names (its headline province, its district). A place is linked only when one
candidate scores strictly best, or when the country has a single unit of that name and type;
otherwise it stays unlinked and records how many candidates there were. A linked place gets
its code, level, full parent chain (each link marked "text", "context" or "gazetteer") and,
for communes and provinces, the unit(s) that succeeded it in the 2025 reform.

Linked places take a code-based key (``locality:vn:03638``), so two communes of the same name
in different provinces never merge; an unlinked one is keyed by type and name within the
parent the article gives it (``locality:thôn|tân tiến|vn:03638``), or by type and name alone.
A Party organisation located in a place is keyed within it (``org:đảng bộ xã tà mung|vn:03638``).
"""

from __future__ import annotations

from dataclasses import replace

from policykg import keys
from policykg.places.gazetteer import LEVELS, Gazetteer, NewUnit, Unit, load
from policykg.records import ArticleRecord, Entity, Fact
from policykg.text import match_key

_TEXT_PARENT_SCORE = {"text": 4, "context": 3}


def link_places(record: ArticleRecord, gazetteer: Gazetteer | None = None) -> ArticleRecord:
    """``record`` with its localities linked to official units where the article decides."""
    places = [e for e in record.entities if e.cls == "Locality"]
    if not places:
        return record
    gazetteer = gazetteer or load()
    by_ref = {e.ref: e for e in record.entities}
    named = {match_key(e.label) for e in places}
    linked: dict[str, Unit] = {}
    counts: dict[str, int] = {}
    # parents first, so a commune can use the unit its district was linked to
    for place in sorted(places, key=lambda e: keys.unit_rank(e.get("localityType"))):
        found = gazetteer.candidates(place.get("localityType") or "", place.label)
        if not found:
            continue
        parent_ref = place.get("partOf")
        parent = by_ref.get(parent_ref) if parent_ref else None
        parent_unit = linked.get(parent_ref) if parent_ref else None
        unit = _choose(gazetteer, found, parent, place.get("partOfSource"), parent_unit, named)
        if unit is None:
            counts[place.ref] = len(found)
        else:
            linked[place.ref] = unit
    return _rewrite(record, gazetteer, linked, counts, named)


def _choose(
    gazetteer: Gazetteer,
    found: list[Unit],
    parent: Entity | None,
    parent_source: str | None,
    parent_unit: Unit | None,
    named: set[str],
) -> Unit | None:
    scores = []
    for unit in found:
        score = 0.0
        above = gazetteer.parents(unit)
        if parent_unit is not None and parent_unit in above:
            score += _TEXT_PARENT_SCORE.get(parent_source or "", 2) + 1
        elif parent is not None and any(match_key(u.name) == match_key(parent.label) for u in above):
            score += _TEXT_PARENT_SCORE.get(parent_source or "", 2)
        province = gazetteer.province_of(unit)
        if province is not None and unit.level > 1 and match_key(province.name) in named:
            score += 2
        if unit.level == 3 and any(match_key(u.name) in named for u in above):
            score += 1
        if unit.last_seen == "2025-01-04":
            score += 0.5  # a unit still in the last list beats one that had gone, all else equal
        scores.append((score, unit))
    scores.sort(key=lambda item: -item[0])
    best, unit = scores[0]
    if len(scores) == 1 or best - scores[1][0] >= 1:
        return unit
    return None


def _rewrite(
    record: ArticleRecord,
    gazetteer: Gazetteer,
    linked: dict[str, Unit],
    counts: dict[str, int],
    named: set[str],
) -> ArticleRecord:
    as_of = record.article.date
    renamed = {ref: _unit_ref(unit) for ref, unit in linked.items()}
    renamed |= _keys_within(record, linked, renamed)
    entities: dict[str, Entity] = {}
    for entity in record.entities:
        if entity.ref in linked:
            unit = linked[entity.ref]
            entity = _linked_entity(entity, unit, gazetteer, renamed, as_of, named, entities)
        elif entity.ref in counts:
            entity = replace(
                entity, properties=(*entity.properties, ("candidateCount", str(counts[entity.ref])))
            )
        entity = replace(entity, properties=tuple((k, renamed.get(v, v)) for k, v in entity.properties))
        ref = renamed.get(entity.ref, entity.ref)
        entities[ref] = _merge(entities.get(ref), replace(entity, ref=ref))
    facts = [
        Fact(renamed.get(f.subject, f.subject), f.predicate, renamed.get(f.object, f.object), f.evidence)
        for f in record.facts
    ]
    placed = {
        (ref, k, v) for ref, e in entities.items() for k, v in e.properties if k in ("partOf", "locatedIn")
    }
    facts = [
        f
        for f in facts
        if f.predicate not in ("partOf", "locatedIn") or (f.subject, f.predicate, f.object) in placed
    ]
    achievements = [
        replace(a, achieved_by=renamed.get(a.achieved_by, a.achieved_by)) if a.achieved_by else a
        for a in record.achievements
    ]
    return replace(
        record, entities=tuple(entities.values()), facts=tuple(facts), achievements=tuple(achievements)
    )


def _keys_within(record: ArticleRecord, linked: dict[str, Unit], renamed: dict[str, str]) -> dict[str, str]:
    """New refs for what the article puts inside a place: ``<ref>|<key of the place>``.

    Names repeat all over the country: villages ("thôn Tân Tiến"), many communes, and the
    Party organisations named after them ("Đảng bộ xã Tân Lập"). Keyed by name alone, each
    would merge into one entity sitting in hundreds of places. So an unlinked place is keyed
    within the parent the article gives it, and an organisation within the place it is in.
    """
    within: dict[str, str] = {}
    places = [e for e in record.entities if e.cls == "Locality" and e.ref not in linked]
    for place in sorted(places, key=lambda e: keys.unit_rank(e.get("localityType"))):
        if parent := place.get("partOf"):
            within[place.ref] = _within(place.ref, within.get(parent) or renamed.get(parent, parent))
    for org in record.entities:
        if org.cls in ("PartyOrg", "Body") and (seat := org.get("locatedIn")):
            within[org.ref] = _within(org.ref, within.get(seat) or renamed.get(seat, seat))
    return within


def _within(ref: str, container: str) -> str:
    return f"{ref}|{container.partition(':')[2]}"


def _linked_entity(
    entity: Entity,
    unit: Unit,
    gazetteer: Gazetteer,
    renamed: dict[str, str],
    as_of: str | None,
    named: set[str],
    out: dict[str, Entity],
) -> Entity:
    """The place with its code, its parent chain up to the province and its 2025 successors."""
    props = [(k, v) for k, v in entity.properties if k not in ("partOf", "partOfSource")]
    props += [("adminCode", unit.key), ("adminLevel", LEVELS[unit.level])]
    text_parent = entity.get("partOf")
    above = gazetteer.parent(unit, as_of, named)
    if text_parent and (above is None or renamed.get(text_parent) in (None, _unit_ref(above))):
        props += [("partOf", text_parent), ("partOfSource", entity.get("partOfSource") or "text")]
    elif above is not None:
        props += [("partOf", _unit_ref(above)), ("partOfSource", "gazetteer")]
    _add_chain(above, gazetteer, as_of, named, out, renamed)
    for new in gazetteer.successors_of(unit):
        props.append(("successor", _new_ref(new)))
        out.setdefault(_new_ref(new), _new_entity(new, gazetteer))
    if unit.code in gazetteer.partly and unit.level == 3:
        props.append(("splitIn2025", "true"))
    # the official name is the label; the article's spelling ("Hồ CHí Minh", "Đăk Hà") is kept beside it
    alts = entity.alt_labels if entity.label == unit.name else (*entity.alt_labels, entity.label)
    return replace(entity, label=unit.name, alt_labels=tuple(dict.fromkeys(alts)), properties=tuple(props))


def _add_chain(
    unit: Unit | None,
    gazetteer: Gazetteer,
    as_of: str | None,
    named: set[str],
    out: dict[str, Entity],
    renamed: dict[str, str],
) -> None:
    """Entities for the units above a linked place that the article itself does not name."""
    while unit is not None:
        ref = _unit_ref(unit)
        if ref in out or ref in renamed.values():
            return
        above = gazetteer.parent(unit, as_of, named) if unit.level > 1 else None
        props = [
            ("localityType", _display_type(unit)),
            ("adminCode", unit.key),
            ("adminLevel", LEVELS[unit.level]),
        ]
        if above is not None:
            props += [("partOf", _unit_ref(above)), ("partOfSource", "gazetteer")]
        props += [("successor", _new_ref(n)) for n in gazetteer.successors_of(unit)]
        for new in gazetteer.successors_of(unit):
            out.setdefault(_new_ref(new), _new_entity(new, gazetteer))
        out[ref] = Entity(ref, "Locality", unit.name, tuple(props))
        unit = above


def _new_entity(unit: NewUnit, gazetteer: Gazetteer) -> Entity:
    props = [
        ("localityType", unit.type.replace("thành phố trung ương", "thành phố")),
        ("adminCode", f"2025:{unit.key}"),
        ("adminLevel", LEVELS[unit.level]),
    ]
    if unit.province is not None and (1, unit.province) in gazetteer.units_2025:
        props += [
            ("partOf", _new_ref(gazetteer.units_2025[(1, unit.province)])),
            ("partOfSource", "gazetteer"),
        ]
    return Entity(_new_ref(unit), "Locality", unit.name, tuple(props))


def _merge(old: Entity | None, new: Entity) -> Entity:
    if old is None:
        return new
    alts = tuple(
        dict.fromkeys(
            (*old.alt_labels, *new.alt_labels, new.label)
            if new.label != old.label
            else (*old.alt_labels, *new.alt_labels)
        )
    )
    props = tuple(dict.fromkeys((*old.properties, *new.properties)))
    return replace(old, alt_labels=alts, properties=props, mentions=(*old.mentions, *new.mentions))


def _unit_ref(unit: Unit) -> str:
    return f"locality:vn:{unit.key}"


def _new_ref(unit: NewUnit) -> str:
    return f"locality:vn2025:{unit.key}" if unit.level == 3 else f"locality:vn2025:p{unit.key}"


def _display_type(unit: Unit) -> str:
    return "thành phố" if unit.type == "thành phố trung ương" else unit.type


