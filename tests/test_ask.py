"""`policykg ask`: plain questions onto saved queries, answered from the seed store."""

import pytest
from click.testing import CliRunner
from conftest import rows

from policykg.cli import main
from policykg.query.ask import templates, understand
from policykg.query.saved import get, registry

EXAMPLES = [(t.query, example) for t in templates() for example in t.examples]


def test_ask_templates_name_real_saved_queries():
    assert {t.query for t in templates()} <= set(registry())


@pytest.mark.parametrize(("query", "question"), EXAMPLES, ids=[q for _, q in EXAMPLES])
def test_ask_every_example_question_is_understood_and_answered(seed_store, query, question):
    found = understand(question)
    assert found is not None and found.query == query
    saved = get(found.query)
    assert rows(seed_store, saved.prepare({k: [v] for k, v in found.params.items()}))


@pytest.mark.parametrize(
    ("question", "query", "params"),
    [
        (
            "Which localities implemented Directive 05?",
            "localities-implementing",
            {"document": "directive 05"},
        ),
        ("dia phuong nao thuc hien chi thi 05", "localities-implementing", {"document": "chi thi 05"}),
        (
            "who is the secretary of Huyện ủy Sông Mã",
            "org-people",
            {"org": "huyện ủy sông mã", "post": "bí thư"},
        ),
        ("achievements in Sơn La in 2021", "achievements-in", {"locality": "sơn la", "year": "2021"}),
        ("kết quả của Sông Mã năm 2021", "achievements-in", {"locality": "sông mã", "year": "2021"}),
    ],
)
def test_ask_reads_parameters_from_the_question(question, query, params):
    found = understand(question)
    assert (found.query, found.params) == (query, params)


def test_ask_cli_says_what_it_ran_then_answers(tmp_path):
    from conftest import SEEDS

    store = tmp_path / "store"
    assert CliRunner().invoke(main, ["--store", str(store), "ingest", str(SEEDS)]).exit_code == 0
    result = CliRunner().invoke(
        main, ["--store", str(store), "ask", "địa phương nào thực hiện Chỉ thị 05", "--format", "csv"]
    )
    assert result.exit_code == 0
    assert "→ policykg query run localities-implementing -p document 'chỉ thị 05'" in result.stderr
    assert "Tà Mung,xã,through 01-KL/TW" in result.stdout
    unknown = CliRunner().invoke(main, ["--store", str(store), "ask", "what is the weather in Hà Nội"])
    assert unknown.exit_code == 1
    assert "no question template matches" in unknown.stderr and "policykg ask '" in unknown.stderr
