#!/usr/bin/env bash
# Creates the five defog dev databases from test/fixtures/defog: <prefix>academic, <prefix>advising,
# <prefix>atis, <prefix>scholar and <prefix>yelp. Idempotent: each database is dropped and loaded
# afresh, in one transaction, so a rerun (or an interrupted run) leaves the same five databases.
#   scripts/load-defog.sh qd_
#   quarry eval test/fixtures/defog/*/questions.jsonl --database-url 'postgres://postgres@127.0.0.1:5432/qd_{db}'
set -euo pipefail

if [ $# -ne 1 ] || ! [[ $1 =~ ^[a-z_][a-z0-9_]*$ ]]; then
  echo "usage: $0 PREFIX   (lower-case letters, digits and _, e.g. qd_)" >&2
  exit 2
fi
prefix=$1
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
fixtures="$(cd "$(dirname "$0")/../test/fixtures/defog" && pwd)"

for dir in "$fixtures"/*/; do
  db=$(basename "$dir")
  name="$prefix$db"
  psql -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" -c "CREATE DATABASE \"$name\""
  psql -q -v ON_ERROR_STOP=1 --single-transaction -d "$name" -f "$dir/schema.sql" >/dev/null
  psql -q -v ON_ERROR_STOP=1 -d "$name" -c ANALYZE
  echo "loaded $name"
done
