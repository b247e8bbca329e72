"""The committee's own page: its settings (the names every report uses), the
office's edit form, and their history, restorable like a record's."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from . import history
from .models import Committee
from .rules import allowed, require
from .services import committee_update


class CommitteeForm(forms.ModelForm):
    class Meta:
        model = Committee
        fields = ["name", "short_name", "unit_name", "superiors"]


def _office(request) -> Committee:
    require(request.actor, "portal.committee_edit", message=_("只有党委办公室可以修改党委信息和查看其修改历史。"))
    return request.actor.committee


@login_required
def committee_detail(request):
    committee = request.actor.committee
    may_edit = allowed(request.actor, "portal.committee_edit")
    context = {"committee": committee, "may_edit": may_edit, "children": committee.children.order_by("name")}
    return render(request, "portal/committee.html", context)


@login_required
def committee_edit(request):
    committee = _office(request)
    form = CommitteeForm(request.POST or None, instance=committee)
    if request.method == "POST" and form.is_valid():
        committee_update(committee=committee, data=form.cleaned_data, user=request.user)
        messages.success(request, _("党委信息已保存，修改已记入修改历史。"))
        return redirect("committee")
    return render(request, "portal/committee_form.html", {"form": form, "committee": committee})


@login_required
def committee_history(request):
    committee = _office(request)
    context = {"obj": committee, "versions": history.record_versions(committee), "may_change": True,
               "restore_url_name": "committee_history_restore"}
    return render(request, "portal/committee_history.html", context)


@login_required
def committee_restore(request, pk: int, history_id: int):
    committee = _office(request)
    version = history.historical_version(committee, history_id) if pk == committee.pk else None
    if version is None:
        raise Http404
    if request.method == "POST":
        try:
            history.record_revert(actor=request.actor, record=committee, history_id=history_id)
        except history.RestoreRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已恢复为所选版本，恢复操作也记入了修改历史。"))
        return redirect("committee_history")
    context = {"obj": committee, "version": version, "cancel_url": reverse("committee_history")}
    return render(request, "portal/history_restore.html", context)
