"""The seal's private key must never be under a path the portal serves."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register


def _served_roots() -> list[Path]:
    roots = [Path(settings.MEDIA_ROOT), Path(settings.STATIC_ROOT)]
    for entry in settings.STATICFILES_DIRS:
        roots.append(Path(entry[1] if isinstance(entry, (tuple, list)) else entry))
    return roots


@register()
def seal_dir_not_served(app_configs, **kwargs):
    seal_dir = Path(settings.SEAL_DIR).resolve()
    errors = []
    for root in _served_roots():
        root = root.resolve()
        if seal_dir == root or root in seal_dir.parents:
            errors.append(
                Error(
                    f"SEAL_DIR ({seal_dir}) is inside a served directory ({root}): the seal's private key could be downloaded.",
                    hint="Set PORTAL_SEAL_DIR to a directory outside MEDIA_ROOT and the static directories.",
                    id="portal.E010",
                )
            )
    return errors
