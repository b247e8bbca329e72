"""The zh-hans catalogue: complete, and never showing another string's text."""

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def entries():
    for chunk in PO.read_text().split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', chunk, re.M)
        msgstr = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', chunk, re.M)
        if msgid and msgstr:
            yield chunk, "".join(re.findall(r'"(.*)"', msgid.group(1))), "".join(re.findall(r'"(.*)"', msgstr.group(1)))


def test_catalogue_has_no_fuzzy_or_mismatched_entries():
    found = list(entries())
    assert len(found) > 300
    for chunk, msgid, msgstr in found:
        assert "#, fuzzy" not in chunk, chunk
        if msgid:
            assert msgstr == msgid, chunk


def test_ui_language_is_simplified_chinese():
    assert settings.LANGUAGE_CODE == "zh-hans"
    with translation.override("zh-hans"):
        assert translation.gettext("This field is required.") == "这个字段是必填项。"
