"""Account pages around django.contrib.auth: password change under the login
lockout, a logout that asks before it signs out, and the session's expiry
warning (its timing for the pages, and the request that extends it)."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import sessions


def password_locked(request: HttpRequest) -> bool:
    """True while this username at this address is locked out (django-axes),
    whichever page collected the wrong passwords."""
    return AxesProxyHandler.is_locked(request, {"username": request.user.get_username()})


def password_failed(request: HttpRequest) -> None:
    """Count a wrong password typed by a logged-in user against the login lockout."""
    user_login_failed.send(sender=__name__, credentials={"username": request.user.get_username()}, request=request)


def cool_off_minutes(request: HttpRequest) -> int:
    cool_off = get_cool_off(request)
    return round(cool_off.total_seconds() / 60) if cool_off else 0


class PasswordChangeView(auth_views.PasswordChangeView):
    """Wrong old passwords count towards the same lockout as the login page, so
    this page cannot be used to guess a password the login page protects."""

    def post(self, request, *args, **kwargs):
        if password_locked(request):
            return self.locked(request)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if form.has_error("old_password", "password_incorrect"):
            password_failed(self.request)
            if password_locked(self.request):
                # Our own page, not axes' login lockout page: say what happened here.
                self.request.axes_locked_out = False
                return self.locked(self.request)
        return super().form_invalid(form)

    def locked(self, request) -> HttpResponse:
        context = self.get_context_data(form=self.form_class(user=request.user))
        context.update(locked=True, minutes=cool_off_minutes(request))
        return render(request, self.template_name, context, status=429)


class LogoutView(auth_views.LogoutView):
    """Typing /logout/ (a GET) asks for confirmation instead of a bare 405: signing
    out changes state and stays a POST."""

    http_method_names = ["get", "post", "options"]
    template_name = "registration/logout_confirm.html"

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("login")
        return render(request, self.template_name, {"title": _("退出登录")})


def session_timing(request: HttpRequest) -> dict:
    """For base.html: when a logged-in page should warn of the expiry. The
    session lasts at least ``guaranteed_age()`` seconds after the last request
    (portal.sessions)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    age = sessions.guaranteed_age()
    timing = {"age": age, "warn": min(settings.SESSION_WARNING_SECONDS, age), "post_limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
    return {"session_timing": timing}


@require_POST
def session_extend(request: HttpRequest) -> JsonResponse:
    """"继续使用" in the expiry warning: this request itself renews the session."""
    if not request.user.is_authenticated:
        return JsonResponse({"expired": True}, status=401)
    sessions.renew(request.session)
    return JsonResponse({"expired": False, "age": settings.SESSION_COOKIE_AGE})
