"""What the seal registers with the portal core: its two audit chains, the
menu entry, the system check. Called from PortalConfig.ready()."""

from django.utils.translation import gettext_lazy as _


def register_seal() -> None:
    from ..chains import ChainType, register_chain
    from ..models import IssuedDocument, SealEvent
    from ..registry import NavArea, register_nav
    from . import checks  # noqa: F401 - registers the system check
    from .issuing import REGISTER_CHAIN, register_content
    from .keys import EVENT_CHAIN, seal_event_content

    register_chain(
        ChainType(
            key=EVENT_CHAIN,
            label=str(_("电子签章记录")),
            model=SealEvent,
            content=seal_event_content,
            describe_link=lambda e: f"SealEvent #{e.pk}",
        )
    )
    register_chain(
        ChainType(
            key=REGISTER_CHAIN,
            label=str(_("签发文件登记")),
            model=IssuedDocument,
            content=register_content,
            describe_link=lambda d: f"IssuedDocument #{d.pk}（{d.display_code}）",
        )
    )
    register_nav(
        NavArea(
            key="verify",
            label="文件验证",
            order=95,
            links=(("验证文件", "verify"), ("电子签章", "seal_history", "portal.seal_history")),
        )
    )
