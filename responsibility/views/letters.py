"""The responsibility letter pages: draft, issue, sign, countersign, revoke, PDF, verify."""

from __future__ import annotations

import rules
from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.access import Actor
from portal.chains import chain_check
from portal.crud import record_history_restore, record_urls
from portal.rules import require
from portal.seal.keys import SealUnavailable

from .. import forms, selectors, services
from ..letter_pdf import letter_context, letter_pdf_filename
from ..models import LETTER_EVENTS_CHAIN, Action, LetterSignature, ResponsibilityLetter
from ..records import LETTER as LETTERS

Status = ResponsibilityLetter.Status


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def letter_create(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    require(actor, LETTERS.rule("add"), message=_("只有党委办公室可以起草责任书。"))
    form = forms.LetterCreateForm(request.POST or None, actor=actor, initial={"year": request.GET.get("year")})
    if request.method == "POST" and form.is_valid():
        try:
            letter = services.letter_create(
                actor=actor, branch=form.cleaned_data["branch"], year=form.cleaned_data["year"], duties=form.cleaned_data["duties"]
            )
        except services.LetterRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已生成责任书草稿，请核对正文后下发。"))
            return redirect(LETTERS.url("detail", letter.pk))
    return render(request, "records/form.html", {"record_type": LETTERS, "title": LETTERS.label, "form": form, "obj": None})


def _check_draft(request: HttpRequest, obj) -> HttpResponse | None:
    """Only the office touches letters; the lifecycle table says when a letter is still a draft."""
    if not rules.test_rule("letters.manage", request.actor):
        raise PermissionDenied(_("只有党委办公室可以修改责任书。"))
    if not obj.allows(Action.EDIT):
        messages.error(request, obj.refusal(Action.EDIT))
        return redirect(LETTERS.url("detail", obj.pk))
    return None


def letter_update(request: HttpRequest, pk) -> HttpResponse:
    obj = _letter(request, pk)
    refused = _check_draft(request, obj)
    if refused:
        return refused
    form = forms.LetterUpdateForm(request.POST or None, instance=obj, actor=request.actor)
    if request.method == "POST" and form.is_valid():
        try:
            services.letter_update(actor=request.actor, letter=obj, title=form.cleaned_data["title"], body=form.cleaned_data["body"])
        except services.LetterRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存。"))
            return redirect(LETTERS.url("detail", obj.pk))
    return render(request, "records/form.html", {"record_type": LETTERS, "title": LETTERS.label, "form": form, "obj": obj})


def letter_delete(request: HttpRequest, pk) -> HttpResponse:
    obj = _letter(request, pk)
    refused = _check_draft(request, obj)
    if refused:
        return refused
    if request.method == "POST":
        try:
            services.letter_trash(actor=request.actor, letter=obj)
        except services.LetterRefused as exc:
            messages.error(request, exc.message)
            return redirect(LETTERS.url("detail", obj.pk))
        messages.success(request, _("已移入回收站，可由党委办公室恢复。"))
        return redirect(LETTERS.url_list)
    return render(request, "records/confirm_delete.html", {"record_type": LETTERS, "title": LETTERS.label, "obj": obj})


def letter_history_restore(request: HttpRequest, pk, history_id) -> HttpResponse:
    """A letter's draft comes back through the letter service (an edit with its event)."""
    if request.method != "POST":
        return record_history_restore(request, LETTERS, pk, history_id)
    obj = _letter(request, pk)
    require(request.actor, LETTERS.rule("history"), obj)
    require(request.actor, LETTERS.rule("change"), obj, _("您没有权限修改此记录。"))
    try:
        services.letter_revert(actor=request.actor, letter=obj, history_id=history_id)
    except services.LetterRefused as exc:
        messages.error(request, exc.message)
        return redirect(LETTERS.url("history", obj.pk))
    messages.success(request, _("已恢复为所选版本，恢复操作也记入了修改历史。"))
    return redirect(LETTERS.url("detail", obj.pk))


def letter_detail(request: HttpRequest, pk) -> HttpResponse:
    actor = request.actor
    letter = _letter(request, pk)
    services.letter_viewed(actor=actor, letter=letter, ip=client_ip(request))
    context = letter_context(letter)
    context.update(
        {
            "views": LETTERS,
            "record_type": LETTERS,
            "title": LETTERS.label,
            "obj": letter,
            "newer": ResponsibilityLetter.objects.filter(replaces=letter).first(),
            "chain": chain_check(LETTER_EVENTS_CHAIN, letter.pk),
        }
    )
    return render(request, "responsibility/letter_detail.html", context)


def _letter(request: HttpRequest, pk) -> ResponsibilityLetter:
    return LETTERS.get_object(request.actor, pk)


def _require_office(request: HttpRequest) -> None:
    """A role that may never do this gets 403; a refusal by the letter's state gets a message."""
    if not rules.test_rule("letters.manage", request.actor):
        raise PermissionDenied(_("只有党委办公室可以进行此操作。"))


def _require_signer(actor: Actor, letter: ResponsibilityLetter, branch_role: bool) -> None:
    """Only the year's signer (责任分工) may open the signing page; anyone else gets 403."""
    if branch_role and not rules.test_rule("letters.signer", actor, letter):
        raise PermissionDenied(_("只有本年度责任分工中本支部的支部书记可以签署责任书。"))
    if not branch_role and not rules.test_rule("letters.countersigner", actor, letter):
        raise PermissionDenied(_("只有本年度责任分工中的第一责任人（党委书记）可以会签责任书。"))


@require_POST
def letter_issue(request: HttpRequest, pk) -> HttpResponse:
    letter = _letter(request, pk)
    _require_office(request)
    try:
        services.letter_issue(actor=request.actor, letter=letter, ip=client_ip(request))
    except services.LetterRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("责任书已下发，正文已冻结，等待支部书记签字。"))
    return redirect(LETTERS.url("detail", letter.pk))


def _password_locked(request: HttpRequest) -> bool:
    """Re-entering the password at signing counts against the same lockout as the login page."""
    return AxesProxyHandler.is_locked(request, {"username": request.user.get_username()})


def _password_failed(request: HttpRequest) -> None:
    user_login_failed.send(sender=__name__, credentials={"username": request.user.get_username()}, request=request)


def _wants_json(request: HttpRequest) -> bool:
    """The signing page's script posts the form with fetch and asks for JSON."""
    return "application/json" in request.headers.get("Accept", "")


def _go(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect, or where the signing page's script should go next."""
    return JsonResponse({"redirect": url}) if _wants_json(request) else redirect(url)


def _form_errors(form) -> JsonResponse:
    """The form's errors for the signing page's script, which keeps the drawn signature."""
    errors = {("form" if name == "__all__" else name): [str(e) for e in errs] for name, errs in form.errors.items()}
    return JsonResponse({"errors": errors}, status=422)


def _sign_page(request: HttpRequest, pk, role: str) -> HttpResponse:
    actor = request.actor
    letter = _letter(request, pk)
    branch_role = role == LetterSignature.Role.BRANCH
    _require_signer(actor, letter, branch_role)
    detail_url = LETTERS.url("detail", letter.pk)
    existing = letter.signatures.filter(role=role).first()
    if existing is not None and existing.signer_id == actor.user.pk:
        messages.info(request, _("您已于 %(at)s 签署此责任书，无需重复签字。") % {"at": f"{existing.signed_at:%Y-%m-%d %H:%M}"})
        return _go(request, detail_url)
    action = Action.SIGN if branch_role else Action.COUNTERSIGN
    if not letter.allows(action):
        messages.error(request, letter.refusal(action))
        return _go(request, detail_url)
    form = forms.LetterSignForm(request.POST or None, initial={"body_sha256": letter.body_sha256})
    if request.method == "POST":
        done = _sign_post(request, letter, form, branch_role)
        if done is not None:
            return done
        if _wants_json(request):
            return _form_errors(form)
    else:
        services.letter_viewed(actor=actor, letter=letter, ip=client_ip(request))
    context = {
        "letter": letter,
        "paragraphs": [line for line in letter.body.splitlines() if line.strip()],
        "form": form,
        "branch_role": branch_role,
        "views": LETTERS,
        "title": LETTERS.label,
    }
    return render(request, "responsibility/letter_sign.html", context)


def _sign_post(request: HttpRequest, letter: ResponsibilityLetter, form, branch_role: bool) -> HttpResponse | None:
    """Sign or countersign; where to go next, or None when the form is shown again with its errors."""
    detail_url = LETTERS.url("detail", letter.pk)
    if _password_locked(request):
        messages.error(request, _("密码错误次数过多，请稍后再试。"))
        return _go(request, detail_url)
    if not form.is_valid():
        return None
    service = services.letter_sign if branch_role else services.letter_countersign
    try:
        _sig, created = service(
            actor=request.actor,
            letter=letter,
            password=form.cleaned_data["password"],
            signature_data_url=form.cleaned_data["signature"],
            seen_hash=form.cleaned_data["body_sha256"],
            ip=client_ip(request),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except services.LetterRefused as exc:
        if exc.field == "password":
            _password_failed(request)
        if not exc.field:
            messages.error(request, exc.message)
            return _go(request, detail_url)
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None
    if not created:
        messages.info(request, _("此责任书已签署，无需重复签字。"))
        return _go(request, detail_url)
    messages.success(request, _("签字成功。") if branch_role else _("会签成功，责任书已签订。"))
    return _go(request, reverse("responsibility:letter_signed", args=[letter.pk]))


def letter_sign(request: HttpRequest, pk) -> HttpResponse:
    return _sign_page(request, pk, LetterSignature.Role.BRANCH)


def letter_countersign(request: HttpRequest, pk) -> HttpResponse:
    return _sign_page(request, pk, LetterSignature.Role.COMMITTEE)


@require_GET
def letter_signed(request: HttpRequest, pk) -> HttpResponse:
    """After a signature: what happens next, and the sealed PDF to download."""
    letter = _letter(request, pk)
    if letter.offline or letter.status not in (Status.SIGNED, Status.COMPLETE):
        return redirect(LETTERS.url("detail", letter.pk))
    context = {**letter_context(letter), "views": LETTERS, "title": LETTERS.label}
    return render(request, "responsibility/letter_signed.html", context)


def letter_revoke(request: HttpRequest, pk) -> HttpResponse:
    letter = _letter(request, pk)
    _require_office(request)
    form = forms.LetterRevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.letter_revoke(actor=request.actor, letter=letter, reason=form.cleaned_data["reason"], ip=client_ip(request))
        except services.LetterRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("责任书已撤销，可以生成新版本。"))
        return redirect(LETTERS.url("detail", letter.pk))
    return render(request, "responsibility/letter_action.html", {"letter": letter, "form": form, "heading": _("撤销责任书"), "views": LETTERS, "title": LETTERS.label, "danger": True})


@require_POST
def letter_new_version(request: HttpRequest, pk) -> HttpResponse:
    letter = _letter(request, pk)
    _require_office(request)
    try:
        new = services.letter_new_version(actor=request.actor, letter=letter)
    except services.LetterRefused as exc:
        messages.error(request, exc.message)
        return redirect(LETTERS.url("detail", letter.pk))
    messages.success(request, _("已生成第%(v)s版草稿，请修改正文后下发。") % {"v": new.version})
    return redirect(LETTERS.url("detail", new.pk))


def letter_offline(request: HttpRequest, pk) -> HttpResponse:
    letter = _letter(request, pk)
    _require_office(request)
    form = forms.LetterOfflineForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.letter_record_offline(actor=request.actor, letter=letter, ip=client_ip(request), **form.cleaned_data)
        except services.LetterRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已登记线下签订。"))
        return redirect(LETTERS.url("detail", letter.pk))
    return render(request, "responsibility/letter_action.html", {"letter": letter, "form": form, "heading": _("登记线下签订"), "views": LETTERS, "title": LETTERS.label, "multipart": True})


def letter_pdf(request: HttpRequest, pk) -> HttpResponse:
    """The letter's sealed PDF as it stands: issued once per state, then the stored file."""
    letter = _letter(request, pk)
    try:
        document = services.letter_document(actor=request.actor, letter=letter)
        handle = document.file.open("rb")
    except SealUnavailable as exc:
        messages.error(request, _("暂时无法生成责任书 PDF：电子签章不可用。%(reason)s") % {"reason": exc})
        return redirect(LETTERS.url("detail", letter.pk))
    except OSError:
        messages.error(request, _("暂时无法读取责任书 PDF 文件，请联系系统管理员。"))
        return redirect(LETTERS.url("detail", letter.pk))
    services.letter_downloaded(actor=request.actor, letter=letter, ip=client_ip(request), document=document)
    return FileResponse(handle, as_attachment=True, filename=letter_pdf_filename(letter), content_type="application/pdf")


def letter_verify(request: HttpRequest) -> HttpResponse:
    """The letters whose body hashes to a typed hash (a paper copy's text); files go to /verify/."""
    form = forms.LetterVerifyForm(request.POST or None)
    matches = None
    if request.method == "POST" and form.is_valid():
        matches = list(selectors.letters_with_hash(request.actor, {form.cleaned_data["sha256"]}))
    context = {
        "form": form,
        "matches": matches,
        # A stored body that no longer hashes to its stored hash is never reported as a match.
        "intact_matches": [letter for letter in matches or () if letter.body_intact],
        "tampered_matches": [letter for letter in matches or () if not letter.body_intact],
        "views": LETTERS,
        "title": LETTERS.label,
    }
    return render(request, "responsibility/letter_verify.html", context)


urlpatterns = [
    *record_urls(
        LETTERS,
        create=login_required(letter_create),
        detail=login_required(letter_detail),
        update=login_required(letter_update),
        delete=login_required(letter_delete),
        history_restore=login_required(letter_history_restore),
    ),
    path("letter/verify/", login_required(letter_verify), name="letter_verify"),
    path("letter/<int:pk>/issue/", login_required(letter_issue), name="letter_issue"),
    path("letter/<int:pk>/sign/", login_required(letter_sign), name="letter_sign"),
    path("letter/<int:pk>/countersign/", login_required(letter_countersign), name="letter_countersign"),
    path("letter/<int:pk>/signed/", login_required(letter_signed), name="letter_signed"),
    path("letter/<int:pk>/revoke/", login_required(letter_revoke), name="letter_revoke"),
    path("letter/<int:pk>/new-version/", login_required(letter_new_version), name="letter_new_version"),
    path("letter/<int:pk>/offline/", login_required(letter_offline), name="letter_offline"),
    path("letter/<int:pk>/pdf/", login_required(letter_pdf), name="letter_pdf"),
]
