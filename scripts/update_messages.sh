#!/usr/bin/env bash
# Regenerates the zh-hans catalogue. The UI's source strings are written in
# Chinese already, so every msgstr is its msgid; the catalogue exists so that
# Django's own strings and ours go through the same translation machinery.
set -euo pipefail
cd "$(dirname "$0")/.."
# Start from scratch: merging into the old file would fuzzy-match new strings
# to old translations, and here every translation is its own msgid anyway.
rm -f locale/zh_Hans/LC_MESSAGES/django.po
.venv/bin/python manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=var --ignore=tests --ignore=bench -v0
.venv/bin/python - <<'PY'
import pathlib
import re

path = pathlib.Path("locale/zh_Hans/LC_MESSAGES/django.po")
entries = path.read_text().split("\n\n")


def block(lines, keyword):
    """The quoted lines of `keyword` (msgid, msgid_plural, msgstr, msgstr[0])."""
    for i, line in enumerate(lines):
        if line.startswith(keyword + " "):
            quoted = [line[len(keyword) + 1 :]]
            for nxt in lines[i + 1 :]:
                if not nxt.startswith('"'):
                    break
                quoted.append(nxt)
            return i, quoted
    return None, None


out = []
for entry in entries:
    lines = entry.split("\n")
    _, msgid = block(lines, "msgid")
    if msgid is None or msgid == ['""']:
        out.append(entry)
        continue
    _, plural = block(lines, "msgid_plural")
    keyword = "msgstr[0]" if plural else "msgstr"
    start, msgstr = block(lines, keyword)
    if msgstr is not None and "".join(msgstr) == '""':
        lines[start : start + len(msgstr)] = [f"{keyword} {msgid[0]}", *msgid[1:]]
        entry = "\n".join(lines)
    out.append(entry)
text = "\n\n".join(out)
text = text.replace("charset=CHARSET", "charset=UTF-8").replace("#, fuzzy\n", "", 1)
assert "#, fuzzy" not in text, "a fuzzy entry would show a wrong string"
text = re.sub(r'"Plural-Forms: [^"]*"', '"Plural-Forms: nplurals=1; plural=0;\\\\n"', text)
path.write_text(text)
PY
