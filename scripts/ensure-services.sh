#!/usr/bin/env bash
# Makes the services the tests need available on a Debian machine: PostgreSQL (with the
# pgvector extension) and Redis. Idempotent: each step checks before it acts.
# Debian 12 ships no pgvector package, so it is built from Debian 13's source package
# against the local server's pg_config (no server restart needed).
# `--print-mirror` only prints the Debian mirror that build would use, and exits.
set -euo pipefail

# Where apt's sources live; a test points it at a folder of its own.
APT_ETC=${APT_ETC:-/etc/apt}

# The Debian mirror this machine's apt already uses, read from its own sources (one-line .list
# or deb822 .sources; comments and the security archive skipped). Nothing when there is none:
# no package host is named here, so a machine without a Debian mirror is told so, not sent one.
debian_mirror() {
  cat "$APT_ETC/sources.list" "$APT_ETC"/sources.list.d/*.list "$APT_ETC"/sources.list.d/*.sources 2>/dev/null \
    | sed -E 's/#.*//' \
    | grep -E '^[[:space:]]*(deb(-src)?[[:space:]]|URIs:)' \
    | grep -oE 'https?://[^[:space:]]+' \
    | grep -v security | grep -E '/debian/?$' | head -n 1 | sed -E 's:/+$::' || true
}

no_mirror() {
  printf '[services] %s\n' "No Debian mirror is named in this machine's apt sources ($APT_ETC/sources.list, $APT_ETC/sources.list.d/*.list or *.sources): add the one you use there$1." >&2
  exit 1
}

if [ "${1:-}" = --print-mirror ]; then
  mirror=$(debian_mirror)
  [ -n "$mirror" ] || no_mirror ""
  echo "$mirror"
  exit 0
fi

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER

say() { printf '[services] %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

pg_ready() { pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; }

# PostgreSQL ----------------------------------------------------------------
if ! command -v pg_isready >/dev/null 2>&1; then
  say "installing PostgreSQL from Debian's packages"
  apt_install postgresql postgresql-client
fi
if ! pg_ready; then
  say "starting PostgreSQL"
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start || true
  for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
  pg_ready || { say "PostgreSQL did not start on $PGHOST:$PGPORT"; exit 1; }
fi
say "PostgreSQL is up on $PGHOST:$PGPORT"

# pgvector ------------------------------------------------------------------
vector_available() {
  psql -X -q -d postgres -tAc "SELECT 1 FROM pg_available_extensions WHERE name = 'vector'" 2>/dev/null | grep -q 1
}
if vector_available; then
  say "pgvector is available"
else
  major=$(psql -X -d postgres -tAc "SHOW server_version_num" | cut -c1-2)
  say "pgvector missing: building it for PostgreSQL $major from Debian's source package"
  mirror=$(debian_mirror)
  [ -n "$mirror" ] || no_mirror ", or install pgvector for PostgreSQL $major yourself"
  apt_install "postgresql-server-dev-$major" build-essential dpkg-dev
  echo "deb-src $mirror trixie main" | as_root tee /etc/apt/sources.list.d/quarry-trixie-src.list >/dev/null
  as_root apt-get update -qq
  work=$(mktemp -d)
  (cd "$work" && apt-get source -qq pgvector >/dev/null 2>&1)
  src=$(find "$work" -maxdepth 1 -type d -name 'pgvector-*' | head -n 1)
  [ -n "$src" ] || { say "could not fetch pgvector's source package"; exit 1; }
  pgconfig="/usr/lib/postgresql/$major/bin/pg_config"
  make -s -C "$src" PG_CONFIG="$pgconfig" OPTFLAGS="" >/dev/null
  as_root make -s -C "$src" PG_CONFIG="$pgconfig" install >/dev/null
  rm -rf "$work"
  as_root rm -f /etc/apt/sources.list.d/quarry-trixie-src.list
  vector_available || { say "pgvector was built but PostgreSQL does not see it"; exit 1; }
  say "pgvector built and installed"
fi

# Redis ---------------------------------------------------------------------
redis_port=${REDIS_PORT:-6379}
if ! command -v redis-server >/dev/null 2>&1; then
  say "installing Redis from Debian's packages"
  apt_install redis-server
fi
if ! redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
  say "starting Redis on $redis_port"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/quarry.log
  for _ in $(seq 1 20); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.5; done
fi
redis-cli -p "$redis_port" ping >/dev/null || { say "Redis did not start"; exit 1; }
say "Redis is up on 127.0.0.1:$redis_port"
