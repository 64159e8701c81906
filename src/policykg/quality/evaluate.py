"""Scoring the extractor against gold annotations (``shared/eval`` conventions).

The texts the gold files name are ingested into a temporary in-memory store; predictions
are read back from the store with SPARQL, so the score is of what a researcher queries.
Optional gold items are neutral, a Person equal to an author is neutral, and a
boilerplate or "other" document implemented by anyone counts as a false positive.
"""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policykg.iri import article_iri
from policykg.query.params import document_key
from policykg.text import match_key

if TYPE_CHECKING:
    from policykg.store import Store

Gold = dict[str, Any]  # one article's gold annotation, as its JSON file holds it
Keys = Counter[Any]  # a multiset of comparable keys: strings, or tuples of them

KINDS = (
    "document",
    "partyorg",
    "locality",
    "person",
    "achievement",
    "implements_locality",
    "implements_actor",
)
_DOC_CLASSES = {"Directive", "Resolution", "Conclusion"}


def _doc_id(value: str) -> str:
    try:
        return document_key(value)
    except Exception:
        return value.upper().replace(" ", "")


def _org_key(label: str) -> str:
    return match_key(label)


def gold_sets(gold: Gold) -> dict[str, tuple[Keys, Keys]]:
    """(required, optional) multisets of comparable keys per kind."""
    opt = gold.get("optional", {})

    def docs(section: Gold) -> Keys:
        return Counter(
            {
                _doc_id(d["id"])
                for k in ("directives", "conclusions", "resolutions")
                for d in section.get(k, [])
            }
        )

    def orgs(items: list[Gold]) -> Keys:
        return Counter({_org_key(o["label"]) for o in items})

    def places(items: list[Gold]) -> Keys:
        return Counter({(match_key(p["label"]), match_key(p["type"] or "")) for p in items})

    def persons(items: list[Gold]) -> Keys:
        return Counter({match_key(p["name"]) for p in items})

    def results(items: list[Gold]) -> Keys:
        return Counter((Decimal(str(a["quantity"])).normalize(), match_key(a["unit"])) for a in items)

    def pairs(items: list[Gold]) -> Keys:
        return Counter({(match_key(i["locality"] or ""), _doc_id(i["document"])) for i in items})

    def actors(items: list[Gold]) -> Keys:
        return Counter({(_org_key(i["actor"]), _doc_id(i["document"])) for i in items})

    optional_persons = persons(opt.get("persons", [])) + Counter(
        {match_key(a): 1 for a in gold.get("authors", [])}
    )
    return {
        "document": (docs(gold), docs(opt)),
        "partyorg": (orgs(gold["party_orgs"]), orgs(opt.get("party_orgs", []))),
        "locality": (places(gold["localities"]), places(opt.get("localities", []))),
        "person": (persons(gold["persons"]), optional_persons),
        "achievement": (results(gold["achievements"]), results(opt.get("achievements", []))),
        "implements_locality": (pairs(gold["implements"]), pairs(opt.get("implements", []))),
        "implements_actor": (actors(gold["implements"]), actors(opt.get("implements", []))),
    }


def predicted_sets(store: Store, identifier: str) -> dict[str, Keys]:
    """Multisets of comparable keys per kind, read from the article's graph in ``store``."""
    from policykg.query.saved import internal
    from policykg.store.terms import NamedNode, QuerySolutions

    out: dict[str, Keys] = {k: Counter() for k in KINDS}
    graph = NamedNode(article_iri(identifier))
    achievements: Keys = Counter()
    solutions = store.query(internal("predictions").sparql, {"article": graph})
    assert isinstance(solutions, QuerySolutions), "the predictions query is a SELECT"
    for row in solutions:
        kind, a = row["kind"].value, row["a"].value
        b = row["b"].value if row["b"] is not None else None
        c = row["c"].value if row["c"] is not None else None
        if kind in _DOC_CLASSES:
            out["document"][_doc_id(b or a)] = 1
        elif kind == "PartyOrg":
            out["partyorg"][_org_key(a)] = 1
        elif kind == "Locality":
            out["locality"][(match_key(a), match_key(b or ""))] = 1
        elif kind == "Person":
            out["person"][match_key(a)] = 1
        elif kind == "Achievement":
            quantity, _, _ = a.partition(" ")
            achievements[(Decimal(quantity).normalize(), match_key(c or ""))] += 1
        elif kind == "implements":
            out["implements_locality"][(match_key(c or ""), _doc_id(b or ""))] = 1
            out["implements_actor"][(_org_key(a), _doc_id(b or ""))] = 1
    out["achievement"] = achievements
    return out


def errors(required: Keys, optional: Keys, predicted: Keys) -> tuple[Keys, Keys]:
    """(false positives, false negatives) as multisets; optional items are neutral."""
    return (predicted - required) - optional, required - predicted


def score(required: Keys, optional: Keys, predicted: Keys) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives); optional items are neutral."""
    false_pos, false_neg = errors(required, optional, predicted)
    return sum((predicted & required).values()), sum(false_pos.values()), sum(false_neg.values())


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _read_gold(path: Path) -> Gold:
    """One gold annotation; a file that is not one is an InputError naming it."""
    from policykg.errors import InputError

    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"{path}: not a gold annotation ({err})") from None
    if not isinstance(gold, dict) or "doc" not in gold:
        raise InputError(f'{path}: not a gold annotation (a JSON object with "doc" and the lists)')
    return gold


def evaluate_folder(gold_dir: Path, texts_dir: Path | None = None) -> dict[str, Any]:
    """Ingest the gold's texts into a temporary store and score each kind."""
    from policykg.ingest import ingest_paths
    from policykg.store import memory_store

    golds = [_read_gold(p) for p in sorted(gold_dir.glob("*.json"))]
    texts_dir = texts_dir or gold_dir.parent.parent / "seeds"
    store = memory_store()
    files = [texts_dir / g["doc"] for g in golds]
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        from policykg.errors import InputError

        raise InputError(f"the gold names {missing[0]}, which does not exist; pass --texts DIR")
    ingest_paths(store, files)
    totals = {k: [0, 0, 0] for k in KINDS}
    per_doc: dict[str, dict[str, Any]] = {}
    boilerplate_violations = 0
    mistakes: list[dict[str, Any]] = []
    for gold in golds:
        expected = gold_sets(gold)
        predicted = predicted_sets(store, gold["doc"])
        per_doc[gold["doc"]] = {}
        forbidden = {_doc_id(d["id"]) for d in gold.get("boilerplate_documents", [])}
        for kind in KINDS:
            tp, fp, fn = score(*expected[kind], predicted[kind])
            if kind == "implements_locality":
                bad = sum(1 for (_loc, doc) in predicted[kind] if doc in forbidden)
                boilerplate_violations += bad
            per_doc[gold["doc"]][kind] = _prf(tp, fp, fn)
            false_pos, false_neg = errors(*expected[kind], predicted[kind])
            mistakes.extend(
                {"article": gold["doc"], "kind": kind, "error": label, "item": _show(item)}
                for label, found in (("fp", false_pos), ("fn", false_neg))
                for item in sorted(found.elements(), key=str)
            )
            for i, n in enumerate((tp, fp, fn)):
                totals[kind][i] += n
    kinds = {k: _prf(*v) for k, v in totals.items()}
    micro = _prf(*(sum(v[i] for v in totals.values()) for i in range(3)))
    macro = round(sum(k["f1"] for k in kinds.values()) / len(kinds), 4)
    return {
        "kinds": kinds,
        "micro": micro,
        "macro_f1": macro,
        "articles": len(golds),
        "boilerplate_implemented": boilerplate_violations,
        "per_article": per_doc,
        "errors": mistakes,
    }


def _show(item: object) -> str:
    if isinstance(item, tuple):
        return " | ".join(str(part) for part in item)
    return str(item)


def format_scores(scores: dict[str, Any]) -> str:
    """The score table as text."""
    lines = [f"{'kind':22} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
    for kind, s in scores["kinds"].items():
        lines.append(
            f"{kind:22} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} {s['tp']:4} {s['fp']:4} {s['fn']:4}"
        )
    m = scores["micro"]
    lines.append(
        f"{'micro':22} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f} {m['tp']:4} {m['fp']:4} {m['fn']:4}"
    )
    lines.append(f"{'macro F1':22} {'':6} {'':6} {scores['macro_f1']:6.3f}")
    lines.append(
        f"articles: {scores['articles']}; boilerplate documents implemented: {scores['boilerplate_implemented']}"
    )
    return "\n".join(lines) + "\n"


def format_errors(scores: dict[str, Any]) -> str:
    """One line per false positive or false negative, grouped by article."""
    return "".join(f"{e['error']}  {e['kind']:20} {e['item']}   [{e['article']}]\n" for e in scores["errors"])
