# Two commands do all set-up on a fresh machine (Python 3.11 and make): `make run`, `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test install dagster clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Run the whole pipeline on the bundled sample documents into warehouse/jixiao.duckdb.
run: $(STAMP)
	$(BIN)/jixiao run

## Run the test suite.
test: $(STAMP)
	$(BIN)/pytest

## Open the Dagster UI on http://127.0.0.1:3000 (run history and instance settings in $DAGSTER_HOME).
DAGSTER_HOME ?= $(CURDIR)/warehouse/dagster
dagster: $(STAMP)
	mkdir -p $(DAGSTER_HOME)
	test -f $(DAGSTER_HOME)/dagster.yaml || cp orchestration/dagster.yaml $(DAGSTER_HOME)/
	DAGSTER_HOME=$(DAGSTER_HOME) $(BIN)/dagster dev -w workspace.yaml

clean:
	rm -rf warehouse dbt_project/target dbt_project/logs
