"""The assessment pages. The parent committee's office and assessors: rubrics
(import with preview, item editor, publish), the children's assessments,
review, return, finalise, the ranking. The child's office: its self-assessment,
submit, rectifications. Every page reads through the selectors' scope (404
outside it) and asks the rules of ``rules.py`` (403)."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.attachments.forms import AttachmentForm
from portal.attachments.selectors import attachments_of
from portal.ledger.files import LedgerFileError
from portal.rules import allowed, require

from . import forms, renderers, selectors, services, sheet
from .models import Assessment, RubricItem

PREVIEW_KEY = "assessment_rubric_preview"


def _errors_to(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _download(rendered: tuple[str, str, bytes]) -> HttpResponse:
    name, content_type, content = rendered
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# -- the parent's pages: rubrics ---------------------------------------------------------------


@login_required
def index(request):
    actor = request.actor
    require(actor, "assessment.rubrics")
    form = forms.YearForm(request.POST or None)
    if request.method == "POST":
        require(actor, "assessment.rubric_import")
        if form.is_valid():
            rubric = services.rubric_get_or_create(actor=actor, year=form.cleaned_data["year"])
            return redirect("assessment:rubric", rubric.pk)
    return render(request, "assessment/index.html", {
        "rubrics": selectors.rubrics_of(actor), "form": form,
        "children": selectors.children_of(actor.home),
        "may_import": allowed(actor, "assessment.rubric_import"),
    })


def _rubric(request, pk):
    require(request.actor, "assessment.rubrics")
    return selectors.get_or_404(selectors.rubrics_of(request.actor), pk)


@login_required
def rubric(request, pk: int):
    actor = request.actor
    rubric = _rubric(request, pk)
    items = list(rubric.items.all())
    return render(request, "assessment/rubric.html", {
        "rubric": rubric, "items": items, "total": sum((i.points for i in items), Decimal(0)),
        "assessments": selectors.ranking(rubric, sort="name"),
        "may_edit": allowed(actor, "assessment.rubric_edit", rubric),
        "may_publish": allowed(actor, "assessment.rubric_publish", rubric),
        "events": rubric.events.filter(assessment=None).select_related("user")[:50],
    })


@login_required
@require_POST
def rubric_bands(request, pk: int):
    actor = request.actor
    rubric = _rubric(request, pk)
    require(actor, "assessment.rubric_edit", rubric, _("考核细则已发布，等次分数线不能再改。"))
    form = forms.BandsForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("请填写三个分数线。"))
        services.rubric_bands_set(actor=actor, rubric=rubric, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已保存等次分数线。"))
    return redirect("assessment:rubric", rubric.pk)


@login_required
def item_edit(request, pk: int, item_pk: int | None = None):
    actor = request.actor
    rubric = _rubric(request, pk)
    require(actor, "assessment.rubric_edit", rubric, _("考核细则已发布，只能通过重新导入修改。"))
    item = selectors.get_or_404(rubric.items.all(), item_pk) if item_pk else RubricItem(rubric=rubric)
    form = forms.RubricItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.rubric_item_save(actor=actor, rubric=rubric, item=form.instance)
        except ValidationError as exc:
            _errors_to(form, exc)
        else:
            messages.success(request, _("已保存考核项目。"))
            return redirect("assessment:rubric", rubric.pk)
    return render(request, "assessment/item_form.html", {"rubric": rubric, "form": form, "item": item})


@login_required
def item_delete(request, pk: int, item_pk: int):
    actor = request.actor
    rubric = _rubric(request, pk)
    require(actor, "assessment.rubric_edit", rubric, _("考核细则已发布，只能通过重新导入修改。"))
    item = selectors.get_or_404(rubric.items.all(), item_pk)
    if request.method == "POST":
        services.rubric_item_delete(actor=actor, item=item)
        messages.success(request, _("已删除考核项目。"))
        return redirect("assessment:rubric", rubric.pk)
    return render(request, "assessment/confirm.html", {
        "title": _("删除考核项目"), "question": _("确定删除“%(item)s”？") % {"item": item},
        "back": rubric.pk, "back_url": "assessment:rubric"})


@login_required
def rubric_publish(request, pk: int):
    actor = request.actor
    rubric = _rubric(request, pk)
    require(actor, "assessment.rubric_publish", rubric)
    if request.method == "POST":
        try:
            opened = services.rubric_publish(actor=actor, rubric=rubric)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已发布，%(n)s个下级单位开始自评。") % {"n": len(opened)})
        return redirect("assessment:rubric", rubric.pk)
    return render(request, "assessment/confirm.html", {
        "title": _("发布考核细则"),
        "question": _("发布后各直属下级单位开始自评，考核细则只能通过重新导入修改。确定发布？"),
        "back": rubric.pk, "back_url": "assessment:rubric"})


@login_required
def rubric_import(request):
    """Upload → the dry run's preview (nothing written) → confirm."""
    actor = request.actor
    require(actor, "assessment.rubric_import")
    form = forms.RubricUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            checked = sheet.check(form.cleaned_data["file"])
        except LedgerFileError as exc:
            form.add_error("file", str(exc))
        else:
            token = secrets.token_urlsafe(16)
            if checked.ok:
                request.session[PREVIEW_KEY] = {
                    "token": token, "year": form.cleaned_data["year"],
                    "rows": [{k: (str(v) if isinstance(v, Decimal) else v) for k, v in r.items()} for r in checked.rows],
                }
            existing = set(selectors.rubrics_of(actor).filter(year=form.cleaned_data["year"])
                           .values_list("items__code", flat=True))
            context.update(checked=checked, token=token, year=form.cleaned_data["year"], existing=existing)
    return render(request, "assessment/import.html", context)


@login_required
@require_POST
def rubric_import_confirm(request):
    actor = request.actor
    require(actor, "assessment.rubric_import")
    preview = request.session.get(PREVIEW_KEY)
    if not preview or preview.get("token") != request.POST.get("token"):
        messages.error(request, _("预览已失效，请重新上传。"))
        return redirect("assessment:import")
    rows = [{k: (Decimal(v) if k in ("points", "target", "deduct_per") and v is not None else v)
             for k, v in row.items()} for row in preview["rows"]]
    try:
        rubric = services.rubric_import(actor=actor, committee=actor.home, year=preview["year"], rows=rows)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("assessment:import")
    del request.session[PREVIEW_KEY]
    messages.success(request, _("已导入%(n)s个考核项目。") % {"n": len(rows)})
    return redirect("assessment:rubric", rubric.pk)


@login_required
def ranking(request, pk: int):
    rubric = _rubric(request, pk)
    return render(request, "assessment/ranking.html", selectors.ranking_context(rubric, request.GET.get("sort", "")))


@login_required
def ranking_xlsx(request, pk: int):
    rubric = _rubric(request, pk)
    return _download(renderers.ranking_xlsx(selectors.ranking_context(rubric, request.GET.get("sort", ""))))


@login_required
def ranking_pdf(request, pk: int):
    from portal.seal.issuing import issuer_name

    rubric = _rubric(request, pk)
    context = selectors.ranking_context(rubric, request.GET.get("sort", ""))
    return _download(renderers.ranking_pdf(context, issued_by=issuer_name(request.user)))


# -- one assessment ------------------------------------------------------------------------------


@login_required
def mine(request):
    actor = request.actor
    require(actor, "assessment.mine")
    assessments = selectors.assessments_visible_to(actor).filter(committee=actor.committee).order_by("-rubric__year")
    return render(request, "assessment/mine.html", {
        "assessments": assessments, "rectifications": selectors.rectifications_of_committee(actor.committee)})


def _assessment(request, pk) -> Assessment:
    assessment = selectors.get_or_404(selectors.assessments_visible_to(request.actor), pk)
    require(request.actor, "assessment.read", assessment)
    return assessment


@login_required
def detail(request, pk: int):
    actor = request.actor
    assessment = _assessment(request, pk)
    rows = selectors.item_rows(assessment)
    attachments = attachments_of(row.item for row in rows)
    for row in rows:
        row.attachments = attachments[row.item]
    may = {name: allowed(actor, f"assessment.{name}", assessment)
           for name in ("self_score", "submit", "review", "return", "finalise")}
    return render(request, "assessment/detail.html", {
        "assessment": assessment, "rows": rows, "may": may,
        # The record lists are those of the committee being viewed: the unit follows the links;
        # the parent's office and assessors switch to the unit read-only first (one button).
        "own": assessment.committee_id == actor.committee.pk,
        "changed": sum(row.changed for row in rows),
        "rounds": assessment.rounds.all(), "events": selectors.events_of(assessment)[:100],
        "rectifications": selectors.rectifications_of(assessment),
        "live_total": sum((row.score or 0 for row in rows), Decimal(0)),
    })


def _item(assessment: Assessment, item_pk):
    return selectors.get_or_404(assessment.items.select_related("rubric_item"), item_pk)


def _item_post(request, pk: int, item_pk: int, rule: str, form_class, run, invalid: str):
    """One item's self-assessment or review (POST), back to the item on the page."""
    actor = request.actor
    assessment = _assessment(request, pk)
    require(actor, rule, assessment)
    item = _item(assessment, item_pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, invalid)
    else:
        try:
            run(actor, item, form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, f"{item.rubric_item.code}：" + "；".join(exc.messages))
        else:
            messages.success(request, _("已保存%(code)s。") % {"code": item.rubric_item.code})
    return redirect(f"{assessment_url(assessment)}#item-{item.pk}")


@login_required
@require_POST
def self_score(request, pk: int, item_pk: int):
    return _item_post(request, pk, item_pk, "assessment.self_score", forms.SelfScoreForm,
                      lambda actor, item, data: services.item_self_assess(actor=actor, item=item, **data),
                      _("自评说明过长。"))


def assessment_url(assessment: Assessment) -> str:
    from django.urls import reverse

    return reverse("assessment:detail", args=[assessment.pk])


def _step(request, pk: int, rule: str, template: str, form_class, run, done: str):
    """A confirm page (GET) and the step itself (POST) for submit, return and finalise."""
    actor = request.actor
    assessment = _assessment(request, pk)
    require(actor, rule, assessment)
    form = form_class(request.POST or None) if form_class else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            run(actor, assessment, form.cleaned_data if form else {})
        except ValidationError as exc:
            if form is None:
                messages.error(request, "；".join(exc.messages))
                return redirect("assessment:detail", assessment.pk)
            _errors_to(form, exc)
        else:
            messages.success(request, done)
            return redirect("assessment:detail", assessment.pk)
    return render(request, template, {"assessment": assessment, "form": form,
                                      "rows": selectors.item_rows(assessment)})


@login_required
def submit(request, pk: int):
    return _step(request, pk, "assessment.submit", "assessment/submit.html", None,
                 lambda actor, a, data: services.assessment_submit(actor=actor, assessment=a),
                 _("已提交，等待上级审核。"))


@login_required
def return_(request, pk: int):
    return _step(request, pk, "assessment.return", "assessment/return.html", forms.CommentForm,
                 lambda actor, a, data: services.assessment_return(actor=actor, assessment=a, **data),
                 _("已退回，单位重新自评。"))


@login_required
def finalise(request, pk: int):
    return _step(request, pk, "assessment.finalise", "assessment/finalise.html", forms.FinaliseForm,
                 lambda actor, a, data: services.assessment_finalise(actor=actor, assessment=a, **data),
                 _("已评定。"))


@login_required
@require_POST
def review(request, pk: int, item_pk: int):
    return _item_post(request, pk, item_pk, "assessment.review", forms.ReviewForm,
                      lambda actor, item, data: services.item_review(
                          actor=actor, item=item, accept=data["decision"] == "accept", score=data["score"],
                          reason=data["reason"]),
                      _("请选择认可或调整得分。"))


@login_required
def sheet_xlsx(request, pk: int):
    return _download(renderers.score_sheet_xlsx(selectors.score_sheet(_assessment(request, pk))))


# -- rectifications --------------------------------------------------------------------------------


@login_required
def rectification(request, pk: int):
    actor = request.actor
    rect = selectors.get_or_404(selectors.rectifications_visible_to(actor), pk)
    require(actor, "assessment.read", rect)
    may_close = allowed(actor, "assessment.rectification_close", rect)
    forms_by_action = {"close": forms.NoteForm, "reopen": forms.ReopenForm}
    action = request.POST.get("action", "")
    bound = {}
    if request.method == "POST":
        done = _rectification_step(request, rect, action, forms_by_action, bound)
        if done:
            return redirect("assessment:rectification", rect.pk)
    return render(request, "assessment/rectification.html", {
        "rect": rect, "attachments": attachments_of([rect])[rect],
        "may_close": may_close,
        "may_confirm": allowed(actor, "assessment.rectification_confirm", rect),
        "close_form": bound.get("close") or forms.NoteForm(),
        "reopen_form": bound.get("reopen") or forms.ReopenForm(),
        "attachment_form": AttachmentForm() if may_close else None,
        "overdue": rect.is_overdue(),
    })


def _rectification_step(request, rect, action: str, forms_by_action, bound) -> bool:
    actor = request.actor
    rules = {"close": "assessment.rectification_owner", "confirm": "assessment.rectification_assessor",
             "reopen": "assessment.rectification_assessor"}
    if action not in rules:
        messages.error(request, _("未知的操作。"))
        return True
    require(actor, rules[action], rect)
    form = forms_by_action[action](request.POST) if action in forms_by_action else None
    if form is not None:
        bound[action] = form
        if not form.is_valid():
            return False
    data = form.cleaned_data if form is not None else {}
    run = {"close": services.rectification_close, "confirm": services.rectification_confirm,
           "reopen": services.rectification_reopen}[action]
    try:
        run(actor=actor, rectification=rect, **data)
    except ValidationError as exc:
        if form is None:
            messages.error(request, "；".join(exc.messages))
            return True
        _errors_to(form, exc)
        return False
    messages.success(request, _("已保存。"))
    return True


@login_required
def rectifications(request):
    actor = request.actor
    require(actor, "assessment.nav")
    rows = selectors.rectifications_visible_to(actor).order_by("due_date", "pk")
    return render(request, "assessment/rectifications.html", {"rows": rows})
