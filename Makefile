# Two commands do all set-up on a fresh machine (Python 3.11 and make): `make run`, `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DAGSTER_HOME ?= $(CURDIR)/warehouse/dagster

.PHONY: run test install system dagster dagster-home services services-stop clean report

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Run the whole pipeline on the bundled sample documents into warehouse/jixiao.duckdb. The run is
## kept in the Dagster instance `make dagster` opens (its history, the inbox's partitions).
run: $(STAMP) system dagster-home
	DAGSTER_HOME=$(DAGSTER_HOME) $(BIN)/jixiao run

## The analyst report (static HTML, opens offline) of the published warehouse, written into
## warehouse/published/report/index.html (`make run` writes it too).
report: $(STAMP)
	$(BIN)/jixiao report

## What the reader and the tests need from Debian's packages: the fonts bench/ and the tests render
## PDFs with, Tesseract and its Simplified Chinese model (scans), LibreOffice (legacy .doc/.wps/.et/.xls
## files, and the DOCX→PDF renderings in samples/build), Chromium (tests/test_report.py opens the
## analyst report in it; never `playwright install`), PostgreSQL's server (the tests' throwaway servers,
## `make services`' own cluster; Debian keeps initdb in /usr/lib/postgresql/VERSION/bin).
SYSTEM_FILES := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf \
  /usr/bin/tesseract /usr/share/tesseract-ocr/5/tessdata/chi_sim.traineddata /usr/bin/soffice \
  /usr/lib/libreoffice/program/libscdlo.so /usr/bin/chromium /usr/bin/redis-server \
  $(or $(wildcard /usr/lib/postgresql/*/bin/initdb),/usr/lib/postgresql/initdb)
SYSTEM_PACKAGES := fonts-wqy-zenhei fonts-dejavu-core tesseract-ocr tesseract-ocr-chi-sim \
  libreoffice-writer-nogui libreoffice-calc-nogui chromium postgresql redis-server
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
system:
	@missing=; for f in $(SYSTEM_FILES); do test -e $$f || missing=1; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null; then echo "install: $(SYSTEM_PACKAGES) (or your system's equivalents)" >&2; exit 1; fi; \
	echo "installing $(SYSTEM_PACKAGES)"; \
	export DEBIAN_FRONTEND=noninteractive; \
	$(SUDO) apt-get install -y -q --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null \
	  || { $(SUDO) apt-get update -q >/dev/null && $(SUDO) apt-get install -y -q --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null; }

## Run the test suite.
test: $(STAMP) system
	$(BIN)/pytest

## The Dagster UI on http://127.0.0.1:3000 and the daemon: the nightly schedule, the inbox sensor and
## the failure alert are on by default (run history and instance settings in $(DAGSTER_HOME)).
dagster: $(STAMP) dagster-home
	DAGSTER_HOME=$(DAGSTER_HOME) $(BIN)/dagster dev -w workspace.yaml

dagster-home:
	mkdir -p $(DAGSTER_HOME)
	test -f $(DAGSTER_HOME)/dagster.yaml || cp orchestration/dagster.yaml $(DAGSTER_HOME)/

## Dagster as the operator runs it (docs/deploy.md): dagster-webserver on http://127.0.0.1:3000 and
## dagster-daemon in the background, the instance on PostgreSQL: DAGSTER_PG_URL, or when it is unset a
## cluster of this checkout in warehouse/services/postgres (unix socket only). Instance, logs and pids
## in warehouse/services (JIXIAO_SERVICES); `make services-stop` stops them all.
services: $(STAMP) system
	deploy/services.sh start

services-stop:
	deploy/services.sh stop

clean:
	rm -rf warehouse dbt_project/target dbt_project/logs
