# Two commands do all set-up on a fresh machine (Python 3.11 and make): `make run`, `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test install fonts dagster clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Run the whole pipeline on the bundled sample documents into warehouse/jixiao.duckdb.
run: $(STAMP)
	$(BIN)/jixiao run

## The fonts the tests and bench/ render PDFs with (samples/build/render_pdf.py), from Debian's packages.
FONT_FILES := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
FONT_PACKAGES := fonts-wqy-zenhei fonts-dejavu-core
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
fonts:
	@missing=; for f in $(FONT_FILES); do test -f $$f || missing=1; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null; then echo "install the fonts WenQuanYi Zen Hei and DejaVu Sans" >&2; exit 1; fi; \
	$(SUDO) apt-get install -y -q --no-install-recommends $(FONT_PACKAGES) >/dev/null \
	  || { $(SUDO) apt-get update -q >/dev/null && $(SUDO) apt-get install -y -q --no-install-recommends $(FONT_PACKAGES) >/dev/null; }

## Run the test suite.
test: $(STAMP) fonts
	$(BIN)/pytest

## Open the Dagster UI on http://127.0.0.1:3000 (run history and instance settings in $DAGSTER_HOME).
DAGSTER_HOME ?= $(CURDIR)/warehouse/dagster
dagster: $(STAMP)
	mkdir -p $(DAGSTER_HOME)
	test -f $(DAGSTER_HOME)/dagster.yaml || cp orchestration/dagster.yaml $(DAGSTER_HOME)/
	DAGSTER_HOME=$(DAGSTER_HOME) $(BIN)/dagster dev -w workspace.yaml

clean:
	rm -rf warehouse dbt_project/target dbt_project/logs
