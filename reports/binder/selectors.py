"""Reads of the binder: its builds, the status the page polls, what the verify page says."""

from __future__ import annotations

from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.access import Actor
from portal.seal.issuing import DocumentDescription

from ..models import BinderBuild


def latest_binder(committee, year: int) -> BinderBuild | None:
    return BinderBuild.objects.filter(committee=committee, year=year).order_by("-requested_at", "-id").first()


def last_good_binder(committee, year: int) -> BinderBuild | None:
    """The newest finished binder with its file: downloadable while another builds or after one fails."""
    return (BinderBuild.objects.filter(committee=committee, year=year, status=BinderBuild.Status.DONE)
            .exclude(file="").order_by("-finished_at", "-id").first())


def binder_for_download(actor: Actor, pk: int) -> BinderBuild | None:
    """A finished binder of the committee the actor reads; None (404) for any other."""
    return BinderBuild.objects.filter(pk=pk, committee=actor.committee, status=BinderBuild.Status.DONE).first()


def binder_status(committee, year: int) -> dict:
    """The small JSON the binder page polls (static/js/jobs.js)."""
    build, good = latest_binder(committee, year), last_good_binder(committee, year)
    payload = {
        "year": year,
        "status": None,
        "status_label": _("尚未生成"),
        "progress": 0,
        "items_done": 0,
        "items_total": 0,
        "note": "",
        "error": "",
        "download_url": reverse("reports:binder_download", args=[good.pk]) if good else None,
        "good_finished_at": good.finished_at.isoformat() if good and good.finished_at else None,
        "good_size": filesizeformat(good.size) if good and good.size else "",
    }
    if build is not None:
        payload.update(
            status=build.status,
            status_label=str(build.get_status_display()),
            progress=build.progress,
            items_done=build.items_done,
            items_total=build.items_total,
            note=build.note if build.is_active else "",
            error=build.error if build.status == BinderBuild.Status.FAILED else "",
        )
    return payload


def describe_binder_index(document) -> DocumentDescription:
    """What a registered binder index is (the verify page); a newer binder supersedes it."""
    _committee, _sep, year = document.object_id.partition(":")
    url = reverse("reports:binder", args=[int(year)]) if year.isdigit() else ""
    return DocumentDescription(title=document.description, url=url,
                               details=(_("佐证材料包的目录；包内文件以目录所列路径为准。"),))
