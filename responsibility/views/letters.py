"""The responsibility letter pages: draft, issue, sign, countersign, revoke, PDF, verify."""

from __future__ import annotations

import rules
from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.access import Actor
from portal.crud import RecordViews

from .. import forms, selectors, services
from ..letter_pdf import hashes_in_pdf, letter_context, render_letter_pdf
from ..models import Action, LetterSignature, ResponsibilityLetter

Status = ResponsibilityLetter.Status


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class LetterViews(RecordViews):
    model = ResponsibilityLetter
    form_class = forms.LetterUpdateForm
    name = "letter"
    title = "意识形态工作责任书"
    columns = [("title", "标题"), ("branch", "支部"), ("year", "年度"), ("version", "版本"), ("status", "状态")]
    search_fields = ["title"]
    filter_fields = ["branch", "status"]
    date_field = None
    year_field = "year"
    ordering = ["-year", "branch_id", "-version"]
    select_related = ["branch"]
    branch_field = "branch"
    list_template = "responsibility/letter_list.html"
    detail_template = "responsibility/letter_detail.html"

    def base_queryset(self, actor: Actor):
        return selectors.letters_visible_to(actor)

    def get_object(self, actor: Actor, pk) -> ResponsibilityLetter:
        try:
            return self.base_queryset(actor).get(pk=int(pk))
        except (ValueError, TypeError, ResponsibilityLetter.DoesNotExist):
            raise Http404 from None

    def filter_options(self, actor: Actor) -> list[dict]:
        options = super().filter_options(actor)
        for option in options:
            if option["name"] == "status":
                option["choices"] = [(str(v), str(label)) for v, label in Status.choices]
        return options

    def cell(self, actor: Actor, obj, field_name: str):
        value = super().cell(actor, obj, field_name)
        if field_name == "status" and obj.body_intact is False:
            return _("%(status)s（正文与哈希不一致）") % {"status": value}
        return value

    def may_change(self, actor: Actor, obj) -> bool:
        return rules.test_rule("letters.edit", actor, obj)

    def check_draft(self, request: HttpRequest, obj) -> HttpResponse | None:
        """Only the office touches letters; the lifecycle table says when a letter is still a draft."""
        if not rules.test_rule("letters.manage", request.actor):
            raise PermissionDenied(_("只有党委办公室可以修改责任书。"))
        if not obj.allows(Action.EDIT):
            messages.error(request, obj.refusal(Action.EDIT))
            return redirect(self.url("detail", obj.pk))
        return None

    def create_view(self, request: HttpRequest) -> HttpResponse:
        actor = request.actor
        if not rules.test_rule("letters.manage", actor):
            raise PermissionDenied(_("只有党委办公室可以起草责任书。"))
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
                return redirect(self.url("detail", letter.pk))
        return render(request, self.form_template, {"views": self, "title": self.title, "form": form, "obj": None})

    def update_view(self, request: HttpRequest, pk) -> HttpResponse:
        obj = self.get_object(request.actor, pk)
        refused = self.check_draft(request, obj)
        if refused:
            return refused
        form = self.form_class(request.POST or None, instance=obj, actor=request.actor)
        if request.method == "POST" and form.is_valid():
            try:
                services.letter_update(actor=request.actor, letter=obj, title=form.cleaned_data["title"], body=form.cleaned_data["body"])
            except services.LetterRefused as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已保存。"))
                return redirect(self.url("detail", obj.pk))
        return render(request, self.form_template, {"views": self, "title": self.title, "form": form, "obj": obj})

    def delete_view(self, request: HttpRequest, pk) -> HttpResponse:
        obj = self.get_object(request.actor, pk)
        refused = self.check_draft(request, obj)
        if refused:
            return refused
        if request.method == "POST":
            try:
                services.letter_trash(actor=request.actor, letter=obj)
            except services.LetterRefused as exc:
                messages.error(request, exc.message)
                return redirect(self.url("detail", obj.pk))
            messages.success(request, _("已移入回收站，可由党委办公室恢复。"))
            return redirect(self.url("list"))
        return render(request, self.delete_template, {"views": self, "title": self.title, "obj": obj})

    def history_restore_view(self, request: HttpRequest, pk, history_id) -> HttpResponse:
        """A letter's draft comes back through the letter service (an edit with its event)."""
        obj = self.get_object(request.actor, pk)
        self.check_history(request.actor)
        self.check_change(request.actor, obj)
        if request.method != "POST":
            return super().history_restore_view(request, pk, history_id)
        try:
            services.letter_revert(actor=request.actor, letter=obj, history_id=history_id)
        except services.LetterRefused as exc:
            messages.error(request, exc.message)
            return redirect(self.url("history", obj.pk))
        messages.success(request, _("已恢复为所选版本，恢复操作也记入了修改历史。"))
        return redirect(self.url("detail", obj.pk))

    def detail_view(self, request: HttpRequest, pk) -> HttpResponse:
        actor = request.actor
        letter = self.get_object(actor, pk)
        services.letter_viewed(actor=actor, letter=letter, ip=client_ip(request))
        context = letter_context(letter)
        context.update(
            {
                "views": self,
                "title": self.title,
                "obj": letter,
                "may_change": self.may_change(actor, letter),
                "history_url": self.history_url(actor, letter),
                "newer": ResponsibilityLetter.objects.filter(replaces=letter).first(),
            }
        )
        return render(request, self.detail_template, context)

    def urlpatterns(self) -> list:
        return super().urlpatterns() + [
            path("letter/verify/", login_required(letter_verify), name="letter_verify"),
            path("letter/<int:pk>/issue/", login_required(letter_issue), name="letter_issue"),
            path("letter/<int:pk>/sign/", login_required(letter_sign), name="letter_sign"),
            path("letter/<int:pk>/countersign/", login_required(letter_countersign), name="letter_countersign"),
            path("letter/<int:pk>/revoke/", login_required(letter_revoke), name="letter_revoke"),
            path("letter/<int:pk>/new-version/", login_required(letter_new_version), name="letter_new_version"),
            path("letter/<int:pk>/offline/", login_required(letter_offline), name="letter_offline"),
            path("letter/<int:pk>/pdf/", login_required(letter_pdf), name="letter_pdf"),
        ]


LETTERS = LetterViews()


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


def _sign_page(request: HttpRequest, pk, role: str) -> HttpResponse:
    actor = request.actor
    letter = _letter(request, pk)
    branch_role = role == LetterSignature.Role.BRANCH
    _require_signer(actor, letter, branch_role)
    service = services.letter_sign if branch_role else services.letter_countersign
    existing = letter.signatures.filter(role=role).first()
    if existing is not None and existing.signer_id == actor.user.pk:
        messages.info(request, _("您已于 %(at)s 签署此责任书，无需重复签字。") % {"at": f"{existing.signed_at:%Y-%m-%d %H:%M}"})
        return redirect(LETTERS.url("detail", letter.pk))
    action = Action.SIGN if branch_role else Action.COUNTERSIGN
    if not letter.allows(action):
        messages.error(request, letter.refusal(action))
        return redirect(LETTERS.url("detail", letter.pk))
    form = forms.LetterSignForm(request.POST or None, initial={"body_sha256": letter.body_sha256})
    if request.method == "POST" and _password_locked(request):
        messages.error(request, _("密码错误次数过多，请稍后再试。"))
        return redirect(LETTERS.url("detail", letter.pk))
    if request.method == "POST" and form.is_valid():
        try:
            _sig, created = service(
                actor=actor,
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
            if exc.field:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.error(request, exc.message)
                return redirect(LETTERS.url("detail", letter.pk))
        else:
            if created:
                messages.success(request, _("签字成功。") if branch_role else _("会签成功，责任书已签订。"))
            else:
                messages.info(request, _("此责任书已签署，无需重复签字。"))
            return redirect(LETTERS.url("detail", letter.pk))
    elif request.method != "POST":
        services.letter_viewed(actor=actor, letter=letter, ip=client_ip(request))
    context = {
        "letter": letter,
        "paragraphs": [line for line in letter.body.splitlines() if line.strip()],
        "form": form,
        "branch_role": branch_role,
        "views": LETTERS,
        "title": LETTERS.title,
    }
    return render(request, "responsibility/letter_sign.html", context)


def letter_sign(request: HttpRequest, pk) -> HttpResponse:
    return _sign_page(request, pk, LetterSignature.Role.BRANCH)


def letter_countersign(request: HttpRequest, pk) -> HttpResponse:
    return _sign_page(request, pk, LetterSignature.Role.COMMITTEE)


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
    return render(request, "responsibility/letter_action.html", {"letter": letter, "form": form, "heading": _("撤销责任书"), "views": LETTERS, "title": LETTERS.title, "danger": True})


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
    return render(request, "responsibility/letter_action.html", {"letter": letter, "form": form, "heading": _("登记线下签订"), "views": LETTERS, "title": LETTERS.title, "multipart": True})


def letter_pdf(request: HttpRequest, pk) -> HttpResponse:
    letter = _letter(request, pk)
    filename, content_type, content = render_letter_pdf(letter)
    services.letter_downloaded(actor=request.actor, letter=letter, ip=client_ip(request))
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def letter_verify(request: HttpRequest) -> HttpResponse:
    form = forms.LetterVerifyForm(request.POST or None, request.FILES or None)
    matches = None
    if request.method == "POST" and form.is_valid():
        hashes = set()
        typed = (form.cleaned_data.get("sha256") or "").strip().lower()
        if typed:
            hashes.add(typed)
        upload = form.cleaned_data.get("pdf")
        if upload:
            try:
                hashes |= hashes_in_pdf(upload.read())
            except Exception:  # pypdf raises many kinds of errors on a damaged file
                form.add_error("pdf", _("无法读取该 PDF 文件。"))
        if not form.errors:
            matches = list(selectors.letters_with_hash(request.actor, hashes))
    context = {
        "form": form,
        "matches": matches,
        # A stored body that no longer hashes to its stored hash is never reported as a match.
        "intact_matches": [letter for letter in matches or () if letter.body_intact],
        "tampered_matches": [letter for letter in matches or () if not letter.body_intact],
        "views": LETTERS,
        "title": LETTERS.title,
    }
    return render(request, "responsibility/letter_verify.html", context)

