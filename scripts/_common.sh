# Shared by scripts/demo.sh and scripts/test.sh: system packages and the virtualenv.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
SYSTEM_PACKAGES=(python3-venv python3-dev libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-arphic-ukai gettext)

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null; then
    echo "请先安装系统软件包：${missing[*]}（需要 apt-get，或手动安装后重试）" >&2; exit 1
  fi
  echo "== installing system packages: ${missing[*]}"
  if ! { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
    echo "无法安装系统软件包。请以 root 身份运行：apt-get install -y ${missing[*]}" >&2; exit 1
  fi
}

make_venv() {
  local requirements="$1"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "pip>=24" "setuptools<81" wheel
  "$VENV/bin/pip" install -q --disable-pip-version-check --no-build-isolation -r "$ROOT/$requirements"
}

compile_messages() {
  (cd "$ROOT" && "$VENV/bin/python" manage.py compilemessages -v0 --ignore=.venv)
}
