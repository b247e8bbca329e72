#!/usr/bin/env bash
# Installs what the tests need (incl. Debian's Chromium for the browser tests)
# and runs the whole suite. Uses PostgreSQL/Redis when DATABASE_URL/REDIS_URL
# are set (as .ci/run does), else SQLite and eager tasks.
source "$(dirname "$0")/_common.sh"
apt_install "${SYSTEM_PACKAGES[@]}" chromium poppler-utils libnss3-tools
make_venv requirements-dev.txt
cd "$ROOT"
compile_messages
exec "$VENV/bin/python" -m pytest "$@"
