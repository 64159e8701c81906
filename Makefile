# Two set-up commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_STORE ?= policykg-store

.PHONY: install demo test lint browser bench clean

$(BIN)/policykg: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

install: $(BIN)/policykg

demo: install
	@# a demo store of an earlier policykg (no manifest) is the demo's own: start it afresh
	@test -f $(DEMO_STORE)/policykg-store.json || ! test -f $(DEMO_STORE)/CURRENT || rm -rf $(DEMO_STORE)
	$(BIN)/policykg --store $(DEMO_STORE) ingest --force seeds/
	@echo
	@echo 'Which localities implemented Chỉ thị 05-CT/TW?'
	$(BIN)/policykg --store $(DEMO_STORE) query run localities-implementing -p document 05-CT/TW --format table
	@echo
	@echo 'The same on the web: $(BIN)/policykg --store $(DEMO_STORE) serve, then open'
	@echo '  http://127.0.0.1:7878/queries/localities-implementing?document=05-CT/TW (and /sparql, /id/...)'

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/mypy

# Debian's Chromium for tests/test_browser.py (Playwright drives it; no browser is downloaded)
browser:
	@command -v chromium >/dev/null 2>&1 || test "$$(id -u)" != 0 || \
		apt-get install -y -qq chromium >/dev/null 2>&1 || \
		{ apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq chromium >/dev/null 2>&1; } || true
	@command -v chromium >/dev/null 2>&1 || echo "no chromium: the browser tests are skipped (apt-get install chromium)"

test: lint browser
	$(BIN)/python -m pytest

# not part of `make test`: generates 1k, 10k and 50k articles and writes bench/RESULTS.md; real news against the bare tokenizer in bench/REAL.md
bench: install
	$(BIN)/python bench/run.py --sizes 1000 10000 50000
	$(BIN)/python bench/real_text.py --articles 3000
	$(BIN)/python bench/load.py --articles 10000

clean:
	rm -rf $(VENV) $(DEMO_STORE) .pytest_cache .ruff_cache
