#!/usr/bin/env bash
# Regenerates the zh-hans catalogue. The UI's source strings are written in
# Chinese already, so every msgstr is its msgid; the catalogue exists so that
# Django's own strings and ours go through the same translation machinery.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var --ignore=tests --ignore=bench -v0
.venv/bin/python - <<'PY'
import re, pathlib
p = pathlib.Path("locale/zh_Hans/LC_MESSAGES/django.po")
text = p.read_text()
def fill(m):
    msgid = m.group(1)
    return f'msgid {msgid}\nmsgstr {msgid}' if m.group(2) == '""' and msgid != '""' else m.group(0)
text = re.sub(r'msgid ("(?:[^"\\]|\\.)*")\nmsgstr ("")', fill, text)
text = text.replace('"Content-Type: text/plain; charset=CHARSET\\n"', '"Content-Type: text/plain; charset=UTF-8\\n"')
text = text.replace("#, fuzzy\n", "", 1)
p.write_text(text)
PY
