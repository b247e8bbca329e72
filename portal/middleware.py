from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render, resolve_url
from django.template.defaultfilters import filesizeformat
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from . import kept_forms
from .access import NoCommittee, actor_for

# The committee a superuser, or a superior committee's office or assessor, picked to view.
COMMITTEE_SESSION_KEY = "portal_committee"


class ActorMiddleware:
    """Puts ``request.actor`` on every request and answers users without a committee.

    An authenticated user who is not linked to a person of a committee gets a
    page telling them to ask the administrator instead of a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = SimpleLazyObject(lambda: actor_for(request.user, request.session.get(COMMITTEE_SESSION_KEY)))
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NoCommittee):
            return render(request, "portal/no_committee.html", status=403)
        return None


class KeptFormMiddleware:
    """Nothing typed is lost (portal.kept_forms).

    - A form posted after the session expired (the view sends the visitor to
      the login page) is kept; the login page says so, and after logging in
      the form page opens with the fields filled in again.
    - A form posted too large for DATA_UPLOAD_MAX_MEMORY_SIZE comes back with
      the rest of its fields and an error at the ones too long, instead of a
      bare 400 page.
    - A form page opened with a kept-form token offers those fields again.

    It sits after the CSRF middleware: a too large form is kept only once its
    CSRF token (read from the fields that fit) has been checked.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.kept_form = None
        request.form_dropped = kept_forms.read_post(request) if request.method == "POST" else None
        if request.form_dropped is kept_forms.UNREADABLE:
            messages.error(request, too_large_message(request, kept=False))
            return redirect(kept_forms.form_page(request))
        response = self.get_response(request)
        if request.method == "POST" and not request.user.is_authenticated and _to_login(response):
            self.keep_expired(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.form_dropped:
            return self.keep_too_large(request)
        token = request.GET.get(kept_forms.TOKEN_PARAM) if request.method == "GET" else None
        if token and request.user.is_authenticated:
            request.kept_form = kept_forms.take(request, token)
            if request.kept_form is not None:
                messages.info(request, _("已恢复您之前填写的内容，请核对后再提交。"))
        return None

    def keep_expired(self, request, response) -> None:
        user_id = kept_forms.owner(request)
        token = kept_forms.keep(request, user_id) if user_id else None
        if token is None:
            return
        next_url = kept_forms.form_page(request, token)
        response["Location"] = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"
        messages.warning(request, _("会话已过期，请重新登录；您填写的内容已保留。"))

    def keep_too_large(self, request):
        user_id = kept_forms.owner(request)
        token = kept_forms.keep(request, user_id, request.form_dropped) if user_id else None
        messages.error(request, too_large_message(request, kept=token is not None))
        if token and not request.user.is_authenticated:
            messages.warning(request, _("会话已过期，请重新登录；您填写的内容已保留。"))
            return redirect_to_login(kept_forms.form_page(request, token))
        return redirect(kept_forms.form_page(request, token))


def _to_login(response) -> bool:
    return response.status_code == 302 and response.get("Location", "").startswith(resolve_url(settings.LOGIN_URL) + "?")


def too_large_message(request, *, kept: bool) -> str:
    values = {
        "size": filesizeformat(int(request.META.get("CONTENT_LENGTH") or 0)),
        "limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
    }
    if kept:
        return _("提交的内容过大（约 %(size)s，上限 %(limit)s），未能保存。过长的内容已清空，其余内容已保留，请修改后重新提交。") % values
    return _("提交的内容过大（约 %(size)s，上限 %(limit)s），未能保存，请缩短后重新提交。") % values
