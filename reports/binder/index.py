"""The binder's index (目录.pdf): rendered from the plan once the files are in the
zip, so it names only what is there, then sealed and registered like every
PDF the portal issues. A newer binder's index supersedes the older ones."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.pdf import render_pdf
from portal.seal.issuing import issue_pdf, issued_supersede, issuer_name

from .. import layout, renderers
from .plan import PlannedItem

INDEX_NAME = "目录.pdf"
BINDER_KIND = "reports.binder"  # the register's name for a binder index (its describer: reports.binder.selectors)


def index_object_id(committee, year: int) -> str:
    return f"{committee.pk}:{year}"


def description(committee, year: int) -> str:
    return _("%(committee)s%(year)s年度意识形态工作责任制落实情况佐证材料目录") % {
        "committee": committee.name, "year": year}


def index_html(committee, year: int, planned: list[PlannedItem], files: dict, stamp=None) -> str:
    context = {
        "title": description(committee, year),
        "committee": committee,
        "year": year,
        "items": planned,
        "files": files,
        "records": sum(len(item.records) for item in planned),
        "attachments": sum(1 for item in planned for f in item.files if f.written),
        "generated_at": timezone.now(),
        "fonts": {"title": layout.XIAOBIAOSONG.css, "body": layout.FANGSONG.css, "head": layout.HEITI.css},
        "stamp": stamp,
    }
    with translation.override(renderers.LANGUAGE), timezone.override(renderers.TIME_ZONE):
        return render_to_string("reports/binder_index.html", context)


def issue_index(committee, year: int, planned: list[PlannedItem], files: dict, user=None):
    """Register, render, seal: the register row and the PDF bytes."""
    object_id = index_object_id(committee, year)
    document, pdf = issue_pdf(
        kind=BINDER_KIND,
        object_id=object_id,
        description=description(committee, year),
        render=lambda stamp: render_pdf(index_html(committee, year, planned, files, stamp)),
        committee=committee,
        issued_by=issuer_name(user) or _("系统（命令行）"),
    )
    issued_supersede(kind=BINDER_KIND, object_id=object_id, reason=_("已生成新的佐证材料包"), keep=document)
    return document, pdf
