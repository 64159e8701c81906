"""The spaCy → records boundary: one function, :func:`article_record`."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from spacy.language import Language
from spacy.tokens import Doc, Span

from policykg.extract.achievements import political_work_cues, reports_political_work
from policykg.extract.base import char_range, sentence_at, sentences, text_of
from policykg.extract.extensions import attrs
from policykg.extract.lexicon import load
from policykg.extract.pipeline import analyse
from policykg.extract.relations import entity_ref
from policykg.kinds import SPAN_GROUPS
from policykg.records import Achievement, Article, ArticleRecord, Entity, Evidence, Fact
from policykg.text import match_key

_PARTY_WORK = re.compile(
    r"(?i)(?<![\w])(?:đảng viên|cấp ủy|cấp uỷ|chi bộ|tổ chức đảng|tổ chức cơ sở đảng|công tác đảng"
    r"|xây dựng đảng|kết nạp|sinh hoạt chi bộ)(?![\w])"
)
_PARTY_WORK_MIN = 5
_ENTITY_GROUPS = tuple(g for g in SPAN_GROUPS if g != "achievements")


def article_record(article: Article, nlp: Language | None = None) -> ArticleRecord:
    """Extract everything from ``article`` (its body only) into plain records."""
    doc = analyse(article.body, year=article.year, nlp=nlp)
    return doc_to_record(doc, article)


def doc_to_record(doc: Doc, article: Article) -> ArticleRecord:
    """Records of an analysed body; offsets are moved to ``article.text``."""
    shift = article.body_start
    sents = sentences(doc)
    authors = {match_key(a) for a in article.authors}

    def evidence(start: int, end: int) -> Evidence:
        s_start = sentence_at(sents, start)[0]
        s_end = sentence_at(sents, max(start, end - 1))[1]  # a fact may rest on two sentences
        return Evidence(start + shift, end + shift, s_start + shift, s_end + shift)

    grouped: dict[str, list[Span]] = defaultdict(list)
    for group in _ENTITY_GROUPS:
        for span in doc.spans[group]:
            if group == "persons" and match_key(attrs(span)["name"]) in authors:
                continue
            grouped[entity_ref(span)].append(span)
    entities = {ref: _entity(ref, spans, evidence) for ref, spans in grouped.items()}
    _add_known_documents(entities)
    facts = []
    for rel in doc._.relations or []:
        if rel.subject.startswith("achievement:"):
            continue
        if rel.subject not in entities or rel.object not in entities:
            if rel.predicate != "issuedBy" or rel.subject not in entities:
                continue
            entities.setdefault(rel.object, _issuer(rel.object))
        facts.append(Fact(rel.subject, rel.predicate, rel.object, evidence(rel.start, rel.end)))
    acting = {f.subject for f in facts}
    entities = {ref: e for ref, e in entities.items() if e.cls != "Body" or ref in acting}
    facts += _placement_facts(grouped, entities, evidence)
    facts = _dedupe(facts) + _known_issuers(entities, facts)
    achieved_by = {r.subject: r.object for r in doc._.relations or [] if r.predicate == "achievedBy"}
    party_work, reason = relevance(doc)
    achievements = tuple(
        _achievement(span, achieved_by, evidence, article)
        for span in doc.spans["achievements"]
        if party_work and entity_ref(span) in achieved_by  # a result needs Party work and an actor
    )
    return ArticleRecord(
        article, tuple(entities.values()), tuple(facts), achievements, party_work=party_work, relevance=reason
    )


def relevance(doc: Doc) -> tuple[bool, str]:
    """Whether an analysed article is about Party work, and why.

    It is when it cites a Party document, or names a local Party organisation and speaks of
    Party work ("đảng viên", "cấp ủy", "chi bộ"), or speaks of Party work throughout. A central
    body or a committee named once in a person's title does not make a sports or business
    story Party work.
    """
    documents = sorted({s.kb_id_ for s in doc.spans["documents"] if s.label_ != "StateDocument"})
    local = [s for s in doc.spans["orgs"] if attrs(s)["level"] != "trung ương"]
    orgs = list(dict.fromkeys(attrs(s)["label"] for s in local))
    words = len(_PARTY_WORK.findall(text_of(doc)))
    if documents:
        cited = ", ".join(documents[:3]) + (" …" if len(documents) > 3 else "")
        return True, f"cites {cited}" + (f"; names {orgs[0]}" if orgs else "")
    if orgs and ((len(local) >= 2 and words >= 1) or words >= 2):
        return True, f"names {', '.join(orgs[:2])}; {words} mentions of Party work"
    if words >= _PARTY_WORK_MIN:
        return True, f"no Party document, but {words} mentions of Party work"
    if reports_political_work(text_of(doc)):
        cues = political_work_cues(text_of(doc))
        return True, f"no Party document, but {cues} words of Party and mass-organisation work"
    return False, f"no Party document; {len(orgs)} Party organisation(s), {words} mention(s) of Party work"


# where a fact is stated: a character range of the body, moved to the article's text
EvidenceOf = Callable[[int, int], Evidence]


def _entity(ref: str, spans: list[Span], evidence: EvidenceOf) -> Entity:
    first = spans[0]
    data = attrs(first)
    mentions = tuple(evidence(*char_range(s)) for s in spans)
    surfaces = [attrs(s).get("surface") or text_of(s.doc)[slice(*char_range(s))] for s in spans]
    if first.label_ == "Locality":
        props = [("localityType", data["type"])]
        parents = [attrs(s) for s in spans if attrs(s).get("parent")]
        if parents:
            props += [
                ("partOf", f"locality:{parents[0]['parent']}"),
                ("partOfSource", parents[0]["parent_source"]),
            ]
        return Entity(ref, "Locality", data["name"], tuple(props), _alts(surfaces, data["name"]), mentions)
    if first.label_ in ("PartyOrg", "Body"):
        props = [("level", data["level"])] if first.label_ == "PartyOrg" else []
        if data.get("locality"):
            props.append(("locatedIn", f"locality:{data['locality']}"))
        return Entity(
            ref, first.label_, data["label"], tuple(props), _alts(surfaces, data["label"]), mentions
        )
    if first.label_ == "Person":
        positions = [str(attrs(s)["position"]) for s in spans if attrs(s).get("position")]
        posts = tuple(("position", p) for p in dict.fromkeys(positions))
        return Entity(ref, "Person", data["name"], posts, (), mentions)
    label = load().document_label(first.kb_id_)
    props = []
    for name in ("number", "issuer", "date", "notation"):
        values = [attrs(s).get(name) for s in spans if attrs(s).get(name)]
        if values:
            props.append((name, values[0]))
    known = load().documents["known"].get(first.kb_id_, {})
    if any("other_term" in attrs(s) for s in spans):
        known = {}  # the article cites a same-numbered document of another Congress term
    if known.get("title"):
        props.append(("title", known["title"]))
    if not any(k == "date" for k, _ in props) and known.get("date"):
        props.append(("date", known["date"]))
    return Entity(ref, first.label_, label, tuple(props), _alts(surfaces, label), mentions)


def _add_known_documents(entities: dict[str, Entity]) -> None:
    """A document that a cited one continues is known even where the article does not cite it."""
    known = load().documents["known"]
    for entity in list(entities.values()):
        target = known.get(entity.ref.split(":", 1)[1], {}).get("continues")
        if target and f"document:{target}" not in entities:
            info = known[target]
            props = (
                ("number", target),
                ("issuer", info["issuer"]),
                ("date", info["date"]),
                ("title", info["title"]),
            )
            label = load().document_label(target)
            entities[f"document:{target}"] = Entity(f"document:{target}", info["class"], label, props)


def _issuer(ref: str) -> Entity:
    central = load().data["central_orgs"]
    label = next(
        (v for k, v in central.items() if match_key(k) == ref.split(":", 1)[1]), ref.split(":", 1)[1]
    )
    return Entity(ref, "PartyOrg", label, (("level", "trung ương"),))


def _achievement(
    span: Span, achieved_by: dict[str, str], evidence: EvidenceOf, article: Article
) -> Achievement:
    data = attrs(span)
    start, end = char_range(span)
    ref = entity_ref(span)
    return Achievement(
        ref=f"achievement:{article.identifier}|{start + article.body_start}",
        quantity=Decimal(data["quantity"]),
        unit=data["unit"],
        phrase=data["phrase"],
        year=data["year"],
        evidence=evidence(start, end),
        achieved_by=achieved_by.get(ref),
    )


def _alts(surfaces: list[str], label: str) -> tuple[str, ...]:
    return tuple(s for s in dict.fromkeys(surfaces) if s != label)


def _placement_facts(
    grouped: dict[str, list[Span]], entities: dict[str, Entity], evidence: EvidenceOf
) -> list[Fact]:
    """``partOf`` and ``locatedIn`` as relations with their sentence, like every other relation."""
    facts = []
    for ref, spans in grouped.items():
        entity = entities.get(ref)
        if entity is None:
            continue  # a non-Party body the article does not make act
        for name in ("partOf", "locatedIn"):
            target = entity.get(name)
            if target is None:
                continue
            stated = [s for s in spans if attrs(s).get("parent_stated")] or spans
            facts.append(Fact(ref, name, target, evidence(*char_range(stated[0]))))
    return facts


def _known_issuers(entities: dict[str, Entity], facts: list[Fact]) -> list[Fact]:
    """``issuedBy`` from reference knowledge where no sentence of the article states it: no evidence."""
    stated = {f.subject for f in facts if f.predicate == "issuedBy"}
    out = []
    for ref, entity in list(entities.items()):
        issuer = entity.get("issuer")
        if ref.startswith("document:") and issuer and ref not in stated and entity.cls != "StateDocument":
            org = f"org:{match_key(issuer)}"
            entities.setdefault(org, _issuer(org))
            out.append(Fact(ref, "issuedBy", org))
    return out


def _dedupe(facts: list[Fact]) -> list[Fact]:
    seen, out = set(), []
    for fact in facts:
        key = (fact.subject, fact.predicate, fact.object, fact.evidence)
        if key not in seen:
            seen.add(key)
            out.append(fact)
    return out
