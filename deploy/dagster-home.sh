#!/bin/sh
# Writes $DAGSTER_HOME/dagster.yaml for Dagster run as a service: the project's instance settings
# (orchestration/dagster.yaml: one run and one warehouse step at a time) followed by the PostgreSQL
# storage (orchestration/dagster-postgres.yaml). Run at every start (systemd ExecStartPre, `make
# services`), so that a change of either file in the checkout applies on restart.
set -eu
: "${DAGSTER_HOME:?is not set (the instance folder, e.g. /var/lib/jixiao/dagster)}"
case "${DAGSTER_PG_URL:-}" in
  postgresql+psycopg2://*) ;;
  "") echo "DAGSTER_PG_URL is not set (postgresql+psycopg2://user@host/dagster, docs/deploy.md)" >&2; exit 1 ;;
  *) echo "DAGSTER_PG_URL must start with postgresql+psycopg2:// (SQLAlchemy reads postgresql:// as" \
          "psycopg 3, which is not installed)" >&2; exit 1 ;;
esac
orchestration=$(cd "$(dirname "$0")/../orchestration" && pwd)
mkdir -p "$DAGSTER_HOME"
# the webserver's and the daemon's units may start at once: each writes its own file, renamed over
new=$(mktemp "$DAGSTER_HOME/dagster.yaml.XXXXXX")
cat "$orchestration/dagster.yaml" "$orchestration/dagster-postgres.yaml" > "$new"
chmod 644 "$new"
mv "$new" "$DAGSTER_HOME/dagster.yaml"
