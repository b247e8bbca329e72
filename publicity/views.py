"""Small write pages hung off a record's detail page: a channel's supervision
check and an activity's photo."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import ActivityPhotoForm, ChannelCheckForm
from portal.rules import require

from .records import ACTIVITY, CHANNEL


@login_required
@require_POST
def channel_check_add_view(request, pk: int):
    channel = _writable(request, CHANNEL, pk)
    form = ChannelCheckForm(request.POST, actor=request.actor)
    if not form.is_valid():
        return _refused(request, CHANNEL.url("detail", channel.pk), form)
    services.channel_check_add(
        actor=request.actor, channel=channel, date=form.cleaned_data["date"], findings=form.cleaned_data["findings"]
    )
    messages.success(request, _("已添加检查记录。"))
    return redirect(CHANNEL.url("detail", channel.pk))


@login_required
@require_POST
def activity_photo_add_view(request, pk: int):
    activity = _writable(request, ACTIVITY, pk)
    form = ActivityPhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        return _refused(request, ACTIVITY.url("detail", activity.pk), form)
    services.activity_photo_add(
        actor=request.actor, activity=activity, image=form.cleaned_data["image"], caption=form.cleaned_data["caption"]
    )
    messages.success(request, _("已上传照片。"))
    return redirect(ACTIVITY.url("detail", activity.pk))


@login_required
@require_POST
def channel_check_remove_view(request, pk: int, check_pk: int):
    channel = _writable(request, CHANNEL, pk)
    check = get_object_or_404(channel.checks.all(), pk=check_pk)
    services.channel_check_remove(actor=request.actor, check=check)
    messages.success(request, _("已删除检查记录（可在回收站恢复）。"))
    return redirect(CHANNEL.url("detail", channel.pk))


@login_required
@require_POST
def activity_photo_remove_view(request, pk: int, photo_pk: int):
    activity = _writable(request, ACTIVITY, pk)
    photo = get_object_or_404(activity.photos.all(), pk=photo_pk)
    services.activity_photo_remove(actor=request.actor, photo=photo)
    messages.success(request, _("已删除照片（可在回收站恢复）。"))
    return redirect(ACTIVITY.url("detail", activity.pk))


def _writable(request, record_type, pk: int):
    """The parent record, if the user may change it (404 / 403 otherwise)."""
    obj = record_type.get_object(request.actor, pk)
    require(request.actor, record_type.rule("change"), obj, _("您没有权限修改此记录。"))
    return obj


def _refused(request, url: str, form):
    """Back to the detail page, with every form error as a message."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)
    return redirect(url)
