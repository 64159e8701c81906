"""A plain-text account of what was extracted from one article, for people and golden tests.

One line per entity, fact and achievement, sorted, so two runs diff cleanly:

    Directive    05-CT/TW  "Chỉ thị 05"  issuer=Bộ Chính trị
    implements   org:ban thường vụ huyện ủy sông mã -> document:05-CT/TW  "Năm 2022, Ban …"
"""

from __future__ import annotations

from policykg.records import ArticleRecord, Evidence

_QUOTE_WIDTH = 90


def describe(record: ArticleRecord) -> str:
    """The record as sorted, aligned lines under a header naming the article."""
    article = record.article
    text = article.text
    header = [
        f"article  {article.identifier}",
        f"title    {article.title}",
        f"date     {article.date or '-'}",
        f"authors  {', '.join(article.authors) or '-'}",
    ]
    entities = sorted(
        f"{e.cls:13} {e.ref.split(':', 1)[1]:40} {e.label!r}"
        + "".join(f"  {k}={v}" for k, v in e.properties if k not in ("title",))
        for e in record.entities
    )
    facts = sorted(
        f"{f.predicate:17} {f.subject} -> {f.object}  {_quote(text, f.evidence)}" for f in record.facts
    )
    results = sorted(
        f"{a.quantity} {a.unit} | year={a.year or '-'} | by={a.achieved_by or '-'} | {a.phrase}"
        for a in record.achievements
    )
    sections = [
        header,
        ["", f"# entities ({len(entities)})", *entities],
        ["", f"# facts ({len(facts)})", *facts],
        ["", f"# achievements ({len(results)})", *results],
    ]
    return "\n".join(line for section in sections for line in section) + "\n"


def _quote(text: str, evidence: Evidence | None) -> str:
    if evidence is None:
        return ""
    sentence = " ".join(text[evidence.sentence_start : evidence.sentence_end].split())
    if len(sentence) > _QUOTE_WIDTH:
        sentence = sentence[: _QUOTE_WIDTH - 1] + "…"
    return f'"{sentence}"'
