#!/usr/bin/env bash
# Installs what the portal needs, loads the demo bureau and serves it at
# http://127.0.0.1:8000 (embedded mode: SQLite, tasks run in-process).
source "$(dirname "$0")/_common.sh"
apt_install "${SYSTEM_PACKAGES[@]}"
make_venv requirements.txt
cd "$ROOT"
compile_messages
"$VENV/bin/python" manage.py migrate -v0
"$VENV/bin/python" manage.py seed_demo
echo "== 演示站点：http://127.0.0.1:8000 （Ctrl+C 停止）"
exec "$VENV/bin/python" manage.py runserver --noreload 127.0.0.1:8000
