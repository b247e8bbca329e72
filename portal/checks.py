"""System checks for what the portal needs from the machine."""

from __future__ import annotations

import ctypes.util
import shutil
import subprocess

from django.core.checks import Warning, register


def cjk_fonts() -> list[str]:
    """Families fontconfig knows for Chinese (empty when none or no fc-list)."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return []
    try:
        out = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.strip() for line in out.splitlines() if line.strip()})


def harfbuzz_subset() -> str | None:
    return ctypes.util.find_library("harfbuzz-subset")


@register()
def pdf_dependencies(app_configs, **kwargs):
    warnings = []
    if not cjk_fonts():
        warnings.append(
            Warning(
                "No Chinese (CJK) font is installed: PDFs would show empty boxes instead of characters.",
                hint="Install fonts-noto-cjk (and fonts-arphic-ukai for the 楷体 role).",
                id="portal.W001",
            )
        )
    if not harfbuzz_subset():
        warnings.append(
            Warning(
                "The HarfBuzz subset library is missing: WeasyPrint falls back to a slow font subsetter "
                "and every PDF takes about 40 times longer.",
                hint="Install libharfbuzz-subset0.",
                id="portal.W002",
            )
        )
    return warnings
