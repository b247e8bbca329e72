"""Every URL of Django's admin, derived from ``admin.site._registry``.

Nobody but a superuser gets in: a logged-in portal user (not staff) and a staff
user without model permissions are refused every changelist, add, change,
delete, history and simple-history revert page, by GET and POST, and the
database is the same afterwards. A superuser can change ordinary records (the
same form data is accepted there, so the refusals below are not a bad form),
but not what is signed or final: a complete letter, its signatures, events and
sealed PDFs, a final report and its builds. Change, delete, history revert and
every bulk action leave the database as it was.

The residual hole of issue 11: a superuser who links their own login to a
signer's 人员 in the admin does not become that signer.
"""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import RequestFactory
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from portal.access import actor_for
from portal.rules import allowed
from responsibility import services
from tests import factories as f
from tests.responsibility.conftest import sign_kwargs
from tests.security.test_permission_matrix import _assessed, _binder, form_data, seed_markers

pytestmark = pytest.mark.django_db

# Tables the admin attacks must leave as they were (not sessions, axes or the admin's log).
SNAPSHOT_APPS = ("auth", "portal", "responsibility", "study", "publicity", "reports")


def snapshot() -> dict:
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in SNAPSHOT_APPS:
            rows[model._meta.label] = list(model._base_manager.order_by("pk").values_list())
    return rows


def changed(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after.get(label)]


def info(model) -> str:
    return f"admin:{model._meta.app_label}_{model._meta.model_name}"


def object_urls(model, model_admin, obj) -> list[str]:
    """change, delete, history and (simple-history) every version's revert page of ``obj``."""
    urls = [reverse(f"{info(model)}_{action}", args=[obj.pk]) for action in ("change", "delete", "history")]
    if isinstance(model_admin, SimpleHistoryAdmin):
        for history_id in obj.history.order_by("history_id").values_list("history_id", flat=True):
            urls.append(reverse(f"{info(model)}_simple_history", args=[obj.pk, history_id]))
    return urls


def admin_urls() -> list[str]:
    """Every admin URL for every registered model, with one of its rows where there is one."""
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        urls += [reverse(f"{info(model)}_changelist"), reverse(f"{info(model)}_add")]
        obj = model._base_manager.order_by("pk").first()
        if obj is not None:
            urls += object_urls(model, model_admin, obj)
    return urls


@pytest.fixture
def complete(world):
    """A countersigned letter (of 2021: the seeded records have 2020's) with its sealed PDF."""
    from tests.conftest import appoint_world_signers

    appoint_world_signers(world, 2021)
    office = actor_for(world.office)
    letter = services.letter_create(actor=office, branch=world.branch, year=2021)
    letter = services.letter_issue(actor=office, letter=letter)
    services.letter_sign(actor=actor_for(world.branch_secretary), **sign_kwargs(letter))
    letter.refresh_from_db()
    services.letter_countersign(actor=actor_for(world.leader), **sign_kwargs(letter))
    letter.refresh_from_db()
    services.letter_document(actor=office, letter=letter)
    return letter


@pytest.fixture
def final_report(world):
    from reports import services as report_services
    from reports.models import ReportBuild

    report = report_services.report_for_year(committee=world.committee, year=2020, user=world.office)
    report_services.report_update(report=report, data={"title": "年度报告", "intro": "导语"}, user=world.office)
    report.refresh_from_db()
    report_services.report_finalise(report=report, user=world.office)
    report.refresh_from_db()
    build = ReportBuild.objects.create(report=report, status=ReportBuild.Status.DONE)
    build.pdf_file.save("r.pdf", ContentFile(b"%PDF-1.4 r"), save=True)
    return report


def _assessment_rows(world) -> None:
    """A finalised assessment with its rectification, and a returned one with its round."""
    from reports.assessment import services as assessment_services

    _assessed(world, 1, finalised=True)
    returned = _assessed(world, 2)
    office = actor_for(world.office)
    assessment_services.item_self_assess(actor=office, item=returned.items.get(), self_score="4")
    assessment_services.assessment_submit(actor=office, assessment=returned)
    parent = returned.rubric.committee
    assessor = f.person_with_user(parent, "mx-returner", role="assessor", branch=f.BranchFactory(committee=parent))
    assessment_services.assessment_return(actor=actor_for(assessor), assessment=returned, comment="补充材料")


@pytest.fixture
def everything(world, complete, final_report):
    """A row of every registered model (the axes tables fill themselves on a failed login)."""
    seed_markers(world)
    Group.objects.create(name="管理组")
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    now = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    common = {"username": "x", "ip_address": "10.0.0.1", "user_agent": "t", "path_info": "/login/"}
    AccessAttempt.objects.create(**common, get_data="", post_data="", failures_since_start=1, attempt_time=now)
    AccessLog.objects.create(**common, attempt_time=now)
    AccessFailureLog.objects.create(**common, attempt_time=now, locked_out=False)
    _assessment_rows(world)
    _binder(world, 1)
    missing = [m._meta.label for m in admin.site._registry if not m._base_manager.exists()]
    assert not missing, f"no row to attack for {missing}"
    return world


@pytest.mark.parametrize("who", ["portal_user", "staff_without_permissions"])
def test_nobody_but_a_superuser_gets_into_any_admin_page(everything, client_for, who):
    user = everything.office
    if who == "staff_without_permissions":
        user = f.UserFactory(username="staff", is_staff=True)
    client = client_for(user)
    urls = admin_urls()
    assert len(urls) > 3 * len(admin.site._registry)
    before = snapshot()
    wrong = []
    for url in urls:
        for method in ("get", "post"):
            data = {"post": "yes", "action": "delete_selected", "_selected_action": ["1"], "name": "改过"}
            response = getattr(client, method)(url, data) if method == "post" else client.get(url)
            refused = response.status_code in (403, 404) or (
                response.status_code == 302 and "/admin/login/" in response["Location"]
            )
            if who == "staff_without_permissions" and url == reverse("admin:index"):
                refused = response.status_code == 200 and "<table" not in response.content.decode()  # an empty index
            if not refused:
                wrong.append(f"{method.upper()} {url}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    assert not changed(before, snapshot())


# -- a superuser against what is signed or final -------------------------------------------------


def attack(client, model, obj) -> None:
    """Change, delete and revert ``obj`` in the admin, and run every bulk action on it."""
    model_admin = admin.site._registry[model]
    text = next((n for n in ("body", "title", "narrative", "intro", "detail", "note", "name") if hasattr(obj, n)), None)
    change = reverse(f"{info(model)}_change", args=[obj.pk])
    client.post(change, form_data(client, change, **({text: "篡改后的文字"} if text else {})))
    client.post(reverse(f"{info(model)}_delete", args=[obj.pk]), {"post": "yes"})
    if isinstance(model_admin, SimpleHistoryAdmin):
        for history_id in obj.history.order_by("history_id").values_list("history_id", flat=True):
            url = reverse(f"{info(model)}_simple_history", args=[obj.pk, history_id])
            client.post(url, form_data(client, url, **({text: "篡改后的文字"} if text else {})))
    request = RequestFactory().get("/")
    request.user = client.session_user
    for action in model_admin.get_actions(request) or {}:
        client.post(reverse(f"{info(model)}_changelist"),
                    {"action": action, "_selected_action": [str(obj.pk)], "post": "yes", "index": "0"})


@pytest.fixture
def root(world, client_for):
    user = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    client = client_for(user)
    client.session_user = user
    return client


def immutable_rows(letter, report) -> list:
    from reports.models import ReportBuild
    from responsibility.models import LetterDocument, LetterEvent, LetterSignature

    rows = [letter, report, *ReportBuild.objects.filter(report=report)]
    for model in (LetterSignature, LetterEvent, LetterDocument):
        rows += list(model.objects.filter(letter=letter))
    return rows


def test_a_superuser_changes_nothing_signed_or_final(root, complete, final_report):
    rows = immutable_rows(complete, final_report)
    kinds = {type(row)._meta.model_name for row in rows}
    assert {"responsibilityletter", "lettersignature", "letterevent", "letterdocument", "annualreport",
            "reportbuild"} <= kinds
    before = snapshot()
    for row in rows:
        attack(root, type(row), row)
    assert not changed(before, snapshot()), "the admin changed what is signed or final"


def test_the_same_attack_changes_an_ordinary_record(root, world):
    """The control: the form data the attacks post is accepted where changing is allowed."""
    article = f.ArticleFactory(committee=world.committee, title="原标题")
    change = reverse("admin:publicity_article_change", args=[article.pk])
    assert root.post(change, form_data(root, change, title="新标题")).status_code == 302
    article.refresh_from_db()
    assert article.title == "新标题"


def test_audit_chain_rows_and_issued_documents_are_not_writable_in_the_admin():
    """Rows of the audit chains and the register of issued documents: not in the admin, or read-only."""
    from portal.models import IssuedDocument
    from reports.models import ReportFreeze
    from responsibility.models import LetterEvent

    request = RequestFactory().get("/")
    request.user = type("Root", (), {"is_superuser": True, "is_active": True, "is_staff": True,
                                     "has_perm": lambda *a: True})()
    for model in (IssuedDocument, ReportFreeze, LetterEvent):
        model_admin = admin.site._registry.get(model)
        if model_admin is None:
            continue
        assert not model_admin.has_change_permission(request) and not model_admin.has_delete_permission(request)
        assert not model_admin.has_add_permission(request)


# -- a superuser links their own login to a signer ------------------------------------------------


def test_linking_ones_own_login_to_a_signer_grants_no_signature(world, signers, client_for):
    from responsibility.models import ResponsibilityLetter

    office = actor_for(world.office)
    letter = services.letter_issue(actor=office, letter=services.letter_create(actor=office, branch=world.branch,
                                                                                  year=2020))
    services.letter_sign(actor=actor_for(world.branch_secretary), **sign_kwargs(letter))
    letter = ResponsibilityLetter.objects.get(pk=letter.pk)
    root_user = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    root = client_for(root_user)
    leader = world.leader.person
    change = reverse("admin:portal_person_change", args=[leader.pk])
    assert root.post(change, form_data(root, change, user=str(root_user.pk))).status_code == 302
    leader.refresh_from_db()
    assert leader.user == root_user  # the link is recorded (and kept in the history) ...
    assert leader.history.first().history_user == root_user
    actor = actor_for(root_user)
    assert actor.person == leader
    assert not allowed(actor, "letters.countersign", letter)  # ... but makes no signer
    response = root.post(reverse("responsibility:letter_countersign", args=[letter.pk]), {"password": f.PASSWORD})
    assert response.status_code == 403
    assert ResponsibilityLetter.objects.get(pk=letter.pk).status == "signed"

    # Linked by someone else (another administrator), the same person signs again.
    other_root = client_for(f.UserFactory(username="root2", is_superuser=True, is_staff=True))
    assert other_root.post(change, form_data(other_root, change, user=str(root_user.pk), name="书记")).status_code == 302
    assert allowed(actor_for(root_user), "letters.countersign", ResponsibilityLetter.objects.get(pk=letter.pk))
