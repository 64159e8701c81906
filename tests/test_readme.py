"""The README's "Questions you can ask" shows the real answers of the current code."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_questions_section_is_current(seed_store):
    spec = importlib.util.spec_from_file_location(
        "readme_questions", ROOT / "scripts" / "readme_questions.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert module.START in readme, "README lost its questions section"
    assert module.updated(readme, seed_store) == readme, "run: python scripts/readme_questions.py"
