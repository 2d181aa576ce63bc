# poakit: every target sets up .venv on first use, so a fresh machine needs only Python 3.11 and make.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# `--dirty`: a save rebuilds only the pages it changes (each generated page is a file of the
# cache that changes only with its content; see hooks/poakit_pages.py), which keeps the
# preview quick with hundreds of cases.
# `--no-strict`: the preview shows problems on the pages instead of stopping (builds stay strict).
SERVE_FLAGS := --dirty --no-strict
export NO_MKDOCS_2_WARNING := true

.PHONY: serve build test bench publish clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "poakit needs Python 3.11 or newer (found $$($(PYTHON) --version))"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
# compiled now, as pip compiles a regular install: an editable install is not, and where
# PYTHONDONTWRITEBYTECODE is set (as in many CI images) every run would compile it again
	$(BIN)/python -m compileall -q src hooks
	@touch $(STAMP)

serve: $(STAMP)  ## preview on http://127.0.0.1:8000 (private cases included, marked)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 $(SERVE_FLAGS)

build: $(STAMP)  ## the static site in site/ (public cases only)
	$(BIN)/mkdocs build

test: $(STAMP)  ## the whole test suite
	$(BIN)/python -m pytest

bench: $(STAMP)  ## scale benchmarks; writes benchmarks/results.json
	$(BIN)/python benchmarks/scale.py

publish: $(STAMP)  ## make publish VERSION=x.y POAKIT_SITE_URL=https://host/path/ [PUSH=1]
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m poakit.publish "$(VERSION)" $(if $(filter 1 yes true,$(PUSH)),--push,)

clean:
	rm -rf site .pytest_cache $(STAGE)

# -- Zensical: the same site from a builder that runs no MkDocs hooks ------------------------
# `poa stage` writes the finished docs tree (every generated page, the guide's macros rendered,
# a mkdocs.yml without hooks or macros); Zensical builds it into $(STAGE)/site/. README: "MkDocs
# today, Zensical tomorrow".
STAGE ?= stage
.PHONY: stage build-zensical

stage: $(STAMP)  ## a builder-neutral docs tree in $(STAGE)/ (public cases only)
	$(BIN)/poa stage $(STAGE) --force

build-zensical: stage  ## the same site built by Zensical, in $(STAGE)/site/
	$(BIN)/zensical build --clean -f $(STAGE)/mkdocs.yml
