"""Who may do what, for every URL of the portal.

The URL patterns come from the resolver, so a new view is covered as soon as
it exists: a pattern that is neither a generic record page of a record type
listed in RECORDS nor listed in SPECIAL fails ``test_every_url_has_expectations``.

For each URL the test builds an object of committee ``alpha`` (in branch A
when the record type has branches) and asks it as six visitors: anonymous,
the office, a leader (the committee secretary), the secretary of the object's
branch (A), the secretary of another branch (B), and the office of another
committee. Write views are also tried by POST (an empty or minimal form: a
writer gets the form back or a redirect, nobody else changes anything).

Expected answers: ``LOGIN`` (redirect to the login page), 200, 302 (done,
redirected), 403 (same committee, not allowed), 404 (outside the scope),
405 (wrong method).
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field
from typing import Callable

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import factories as f

LOGIN = "login"
ROLES = ("anonymous", "office", "leader", "own_secretary", "other_secretary", "outsider")
O, L, S = "office", "leader", "secretary"  # writer kinds in RECORDS

# Public pages and Django's admin (its own staff/permission system, checked in
# test_admin_is_staff_only) are outside the matrix.
NOT_IN_MATRIX = {"admin"}


def walk(resolver=None, namespace=None):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns in NOT_IN_MATRIX:
                continue
            yield from walk(entry, ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}:{entry.name}" if namespace else entry.name


URL_NAMES = sorted(set(walk()))


# -- record types: who reads and writes (from DESIGN.md) ---------------------------


@dataclass
class Rec:
    make: Callable  # (world, i) -> object of committee alpha
    branch_scoped: bool  # belongs to branch A: the secretary of branch B may not see it
    writers: set[str]  # O = office, L = leader, S = the secretary of the record's branch


def _talk(w, i):
    from portal.models import Person

    return f.TalkFactory(committee=w.committee, talker=Person.objects.get(user=w.leader))


def _inspection(w, i):
    obj = f.InspectionFactory(committee=w.committee)
    obj.branches.set([w.branch])
    return obj


RECORDS: dict[str, Rec] = {
    "portal:branch": Rec(lambda w, i: f.BranchFactory(committee=w.committee), False, {O}),
    "portal:department": Rec(lambda w, i: f.DepartmentFactory(committee=w.committee, branch=w.branch), False, {O}),
    "portal:person": Rec(lambda w, i: f.PersonFactory(committee=w.committee, branch=w.branch), False, {O}),
    "responsibility:assignment": Rec(lambda w, i: f.AssignmentFactory(committee=w.committee), False, {O}),
    "responsibility:document": Rec(lambda w, i: f.WorkDocumentFactory(committee=w.committee), False, {O}),
    "responsibility:meeting": Rec(lambda w, i: f.CommitteeMeetingFactory(committee=w.committee), False, {O}),
    "responsibility:task": Rec(lambda w, i: f.MonthlyTaskFactory(committee=w.committee, branch=w.branch), True, {O}),
    "responsibility:inspection": Rec(_inspection, True, {O}),
    # Everyone sees that a talk happened; the office and the talker (a leader) write it.
    "responsibility:talk": Rec(_talk, False, {O, L}),
    "responsibility:analysis": Rec(
        lambda w, i: f.TrendAnalysisFactory(committee=w.committee, branch=w.branch, year=2010 + i), True, {O, S}
    ),
    "responsibility:letter": Rec(
        lambda w, i: f.ResponsibilityLetterFactory(committee=w.committee, branch=w.branch, year=2010 + i), True, {O}
    ),
    "study:session": Rec(
        lambda w, i: f.StudySessionFactory(committee=w.committee, branch=w.branch, kind="party_day"), True, {O, S}
    ),
    "study:appstat": Rec(lambda w, i: f.StudyAppStatFactory(committee=w.committee, branch=w.branch), True, {O}),
    "study:handout": Rec(lambda w, i: f.MaterialHandoutFactory(committee=w.committee), False, {O}),
    "publicity:article": Rec(lambda w, i: f.ArticleFactory(committee=w.committee), False, {O}),
    "publicity:bulletin": Rec(lambda w, i: f.InternalBulletinFactory(committee=w.committee), False, {O}),
    "publicity:channel": Rec(lambda w, i: f.ChannelFactory(committee=w.committee), False, {O}),
    "publicity:rolemodel": Rec(lambda w, i: f.RoleModelFactory(committee=w.committee), False, {O}),
    "publicity:activity": Rec(lambda w, i: f.ActivityFactory(committee=w.committee), False, {O}),
}

GENERIC_ACTIONS = ("list", "create", "detail", "update", "delete", "history", "history_restore")


def generic(name: str) -> tuple[str, Rec, str] | None:
    for prefix, rec in RECORDS.items():
        if name.startswith(prefix + "_") and name[len(prefix) + 1 :] in GENERIC_ACTIONS:
            return prefix, rec, name[len(prefix) + 1 :]
    return None


def writes(rec: Rec, role: str) -> bool:
    return (
        (role == "office" and O in rec.writers)
        or (role == "leader" and L in rec.writers)
        or (role == "own_secretary" and S in rec.writers)
    )


def reads(rec: Rec, role: str) -> bool:
    return role in ("office", "leader", "own_secretary") or (role == "other_secretary" and not rec.branch_scoped)


def object_answer(rec: Rec, role: str, allowed: bool) -> int:
    if not reads(rec, role):
        return 404
    return 200 if allowed else 403


def generic_expectations(rec: Rec, action: str) -> tuple[dict, dict | None]:
    """(GET answers, POST answers) per role for one generic record page."""
    get, post = {}, None
    for role in ROLES[1:]:
        if action == "list":
            get[role] = 200
        elif action == "create":
            # The outsider is the office of their own committee: creating there is fine.
            may = writes(rec, role) or (role == "outsider" and O in rec.writers) or (
                role == "other_secretary" and S in rec.writers
            )
            get[role] = 200 if may else 403
        elif action == "detail":
            get[role] = object_answer(rec, role, True)
        elif action in ("update", "delete"):
            get[role] = object_answer(rec, role, writes(rec, role))
        elif action in ("history", "history_restore"):
            get[role] = object_answer(rec, role, role == "office")
    if action in ("create", "update"):
        post = dict(get)  # an empty form comes back with its errors (200)
    elif action == "delete":
        post = {role: 302 if code == 200 else code for role, code in get.items()}
    elif action == "history_restore":
        post = {role: 302 if code == 200 else code for role, code in get.items()}
    return get, post


# -- special views: listed one by one -----------------------------------------------


@dataclass
class Special:
    get: dict[str, object]  # role -> answer; "anonymous" defaults to LOGIN
    post: dict[str, object] | None = None
    make: Callable | None = None  # (world, i) -> URL kwargs
    data: dict = field(default_factory=dict)  # what the POST sends
    query: str = ""


def everyone(code, **overrides) -> dict:
    answers = {role: code for role in ROLES[1:]}
    answers.update(overrides)
    return answers


def by(office, leader, own, other, outsider) -> dict:
    return {"office": office, "leader": leader, "own_secretary": own, "other_secretary": other, "outsider": outsider}


def _letter(status):
    def make(w, i):
        from responsibility.models import ResponsibilityLetter, body_hash

        from tests.conftest import appoint_world_signers

        # The year's 责任分工 names the signers: the leader and branch A's secretary.
        appoint_world_signers(w, 2010 + i)
        letter = f.ResponsibilityLetterFactory(committee=w.committee, branch=w.branch, year=2010 + i)
        ResponsibilityLetter.all_objects.filter(pk=letter.pk).update(status=status, body_sha256=body_hash(letter.body))
        return {"pk": letter.pk}

    return make


def _document_file(w, i):
    doc = f.WorkDocumentFactory(committee=w.committee)
    doc.file.save("plan.pdf", ContentFile(b"%PDF-1.4 x"), save=True)
    return {"label": "responsibility.workdocument", "pk": doc.pk, "field": "file"}


def _trashed(w, i):
    from portal.models import Department

    dept = f.DepartmentFactory(committee=w.committee, branch=w.branch)
    Department.all_objects.filter(pk=dept.pk).update(deleted_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    return {"label": "portal.department", "pk": dept.pk}


def _report_build(w, i):
    from reports.models import AnnualReport, ReportBuild

    report = AnnualReport.objects.get_or_create(committee=w.committee, year=2020)[0]
    build = ReportBuild.objects.create(report=report, status=ReportBuild.Status.DONE)
    build.pdf_file.save("r.pdf", ContentFile(b"%PDF-1.4 r"), save=True)
    return {"pk": build.pk, "fmt": "pdf"}


def _binder(w, i):
    from reports.models import BinderBuild

    from django.utils import timezone

    build = BinderBuild.objects.create(committee=w.committee, year=2020, status=BinderBuild.Status.DONE,
                                       finished_at=timezone.now())
    build.file.save("b.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18), save=True)
    return {"pk": build.pk}


def _channel_check(w, i):
    check = f.ChannelCheckFactory(committee=w.committee)
    return {"pk": check.channel_id, "check_pk": check.pk}


def _activity_photo(w, i):
    from publicity.models import ActivityPhoto

    photo = ActivityPhoto(committee=w.committee, activity=f.ActivityFactory(committee=w.committee), caption="照片")
    photo.image.save("p.png", ContentFile(b"\x89PNG"), save=True)
    return {"pk": photo.activity_id, "photo_pk": photo.pk}


def _session_of_branch_a(w, i):
    """Evidence pages: a record of branch A that its secretary writes too."""
    session = f.StudySessionFactory(committee=w.committee, branch=w.branch, kind="party_day")
    return {"label": session._meta.label_lower, "pk": session.pk}


def _attachment(w, i):
    from study.models import StudySession

    session = StudySession.objects.get(pk=_session_of_branch_a(w, i)["pk"])
    return {"pk": f.attach(session, w.office, f"证据{i}.pdf").pk}


YEAR = lambda w, i: {"year": 2020}  # noqa: E731


def _notification(w, i):
    """A notification of branch A's secretary about a letter of their branch."""
    from portal.notifications import notify

    letter = f.ResponsibilityLetterFactory(committee=w.committee, branch=w.branch, year=2010 + i)
    [note] = notify(committee=w.committee, recipients=[w.branch_secretary.person], message="《责任书》已下发",
                    link=reverse("responsibility:letter_detail", args=[letter.pk]), kind="matrix", key=f"matrix{i}")
    return {"pk": note.pk}


def _issued_code(w, i):
    from django.utils import timezone

    from portal.models import IssuedDocument

    doc = IssuedDocument.objects.create(
        code=f"MTRX{i:08d}", kind="tests.matrix", object_id=str(i), committee=w.committee,
        description="矩阵测试文件", sha256="c" * 64, issued_at=timezone.now(),
    )
    return {"code": doc.code}


def _seal(w, i):
    from portal.seal.keys import current_seal

    current_seal()
    return {}

def _committee_version(world, i):
    return {"pk": world.committee.pk, "history_id": world.committee.history.first().history_id}


def _import_job(sheet=""):
    """A finished, accepted preview started by the office (only they read it)."""

    def make(w, i):
        from portal.models import ImportJob

        result = {"ok": True, "sheets": [], "errors": [], "rows": [], "error_count": 0, "row_count": 0}
        job = ImportJob.objects.create(
            committee=w.committee, started_by=w.office, sheet=sheet, reason="导入", dry_run=True, token=f"matrix-{i}",
            sha256="0" * 64, filename="a.xlsx", status="done", result=result,
        )
        return {"pk": job.pk}

    return make


# -- the annual assessment: alpha as the child of a parent, or as the parent of a child ----------


def _assessed(w, i, *, finalised=False):
    """Alpha's assessment under a parent's published rubric (one manual item)."""
    from portal.access import actor_for
    from reports.assessment import services
    from reports.assessment.models import Rubric, RubricItem

    parent = f.CommitteeFactory(slug=f"mx-parent-{i}")
    w.committee.parent = parent
    w.committee.save()
    rubric = Rubric.objects.create(committee=parent, year=2020)
    RubricItem.objects.create(rubric=rubric, code="1", category="组织领导", content="阵地管理", points=5, method="manual")
    services.rubric_publish(actor=None, rubric=rubric)
    assessment = rubric.assessments.get(committee=w.committee)
    if finalised:
        office = actor_for(w.office)
        services.item_self_assess(actor=office, item=assessment.items.get(), self_score="3")
        services.assessment_submit(actor=office, assessment=assessment)
        assessor = actor_for(f.person_with_user(parent, f"mx-assessor-{i}", role="assessor",
                                                branch=f.BranchFactory(committee=parent)))
        services.assessment_finalise(actor=assessor, assessment=assessment)
    return assessment


def _assessment_page(w, i):
    return {"pk": _assessed(w, i).pk}


def _assessment_item(w, i):
    assessment = _assessed(w, i)
    return {"pk": assessment.pk, "item_pk": assessment.items.get().pk}


def _rectification(w, i):
    from reports.assessment.models import Rectification

    return {"pk": Rectification.objects.get(item__assessment=_assessed(w, i, finalised=True)).pk}


def _own_rubric(w, i):
    """A draft rubric alpha set for a child of its own."""
    from reports.assessment.models import Rubric, RubricItem

    f.CommitteeFactory(slug=f"mx-child-{i}", parent=w.committee)
    rubric = Rubric.objects.create(committee=w.committee, year=2000 + i)
    RubricItem.objects.create(rubric=rubric, code="1", category="组织领导", content="阵地管理", points=5, method="manual")
    return {"pk": rubric.pk}


def _own_rubric_item(w, i):
    kwargs = _own_rubric(w, i)
    from reports.assessment.models import RubricItem

    return {**kwargs, "item_pk": RubricItem.objects.get(rubric_id=kwargs["pk"]).pk}


PARENT_PAGE = by(200, 403, 403, 403, 404)  # alpha's office sets the rubric; others of alpha 403
CHILD_PAGE = by(200, 403, 403, 403, 404)  # alpha's office assesses itself
PARENT_ONLY = by(403, 403, 403, 403, 404)  # a step of the parent, asked on alpha's own assessment


SPECIAL: dict[str, Special] = {
    "login": Special(get=everyone(302, anonymous=200)),
    "logout": Special(get=everyone(200, anonymous=LOGIN), post=everyone(LOGIN, anonymous=LOGIN)),  # GET asks first
    "dashboard": Special(get=everyone(200)),
    # Only superusers switch committee (tests/portal/test_committee_switch.py).
    "committee_switch": Special(get=everyone(405), post=everyone(403), data={"committee": "1"}),
    "password_change": Special(get=everyone(200), post=everyone(200)),
    "password_change_done": Special(get=everyone(200)),
    "session_extend": Special(get=everyone(405, anonymous=405), post=everyone(200, anonymous=401)),
    "file_download": Special(get=by(200, 200, 200, 200, 404), make=_document_file),
    # Evidence: read as the record is read; added and removed by who may change the record.
    "attachment_add": Special(
        get=by(200, 403, 200, 404, 404), post=by(200, 403, 200, 404, 404), make=_session_of_branch_a
    ),
    "attachment_download": Special(get=by(200, 200, 200, 404, 404), make=_attachment),
    "attachment_remove": Special(
        get=by(200, 403, 200, 404, 404), post=by(302, 403, 302, 404, 404), make=_attachment
    ),
    # Everyone's own notifications; another person's answers 404.
    "notifications": Special(get=everyone(200)),
    "notification_open": Special(get=by(404, 404, 302, 404, 404), make=_notification),
    "notification_read": Special(get=everyone(405), post=by(404, 404, 302, 404, 404), make=_notification),
    "notifications_read_all": Special(get=everyone(405), post=everyone(302)),
    "trash": Special(get=by(200, 403, 403, 403, 200)),
    "trash_restore": Special(get=everyone(405), post=by(302, 403, 403, 403, 404), make=_trashed),
    "trash_purge": Special(get=everyone(405), post=everyone(403), make=_trashed),  # administrators only
    "ledger:import": Special(get=by(200, 403, 403, 403, 200), post=by(200, 403, 403, 403, 200)),
    "ledger:import_job": Special(get=by(200, 403, 403, 403, 404), make=_import_job()),
    "ledger:import_job_status": Special(get=by(200, 403, 403, 403, 404), make=_import_job()),
    "ledger:import_confirm": Special(get=everyone(405), post=by(302, 403, 403, 403, 404), make=_import_job()),
    "ledger:export": Special(get=by(200, 200, 403, 403, 200), post=everyone(405)),
    "ledger:export_download": Special(get=by(200, 200, 403, 403, 200), query="?year=2020"),
    "ledger:template": Special(get=by(200, 403, 403, 403, 200)),
    "reports:index": Special(get=everyone(200)),
    "reports:detail": Special(get=by(200, 200, 403, 403, 200), make=YEAR),
    # A draft's text has no required field: saving it redirects to the report.
    "reports:edit": Special(get=by(200, 403, 403, 403, 200), post=by(302, 403, 403, 403, 302), make=YEAR,
                            data={"title": ""}),
    "reports:finalise": Special(get=everyone(405), post=by(302, 403, 403, 403, 302), make=YEAR),
    # Not final yet: the office is sent back to the report.
    "reports:reopen": Special(get=by(302, 403, 403, 403, 302), post=by(302, 403, 403, 403, 302), make=YEAR,
                              data={"reason": "测试"}),
    "reports:history": Special(get=by(404, 403, 403, 403, 404), make=YEAR),  # no report saved yet
    "committee": Special(get=everyone(200)),
    "committee_edit": Special(get=by(200, 403, 403, 403, 200), post=by(200, 403, 403, 403, 200), data={"name": ""}),
    "committee_history": Special(get=by(200, 403, 403, 403, 200)),
    "committee_history_restore": Special(get=by(200, 403, 403, 403, 404), post=by(302, 403, 403, 403, 404),
                                         make=_committee_version),
    "reports:build": Special(get=everyone(405), post=by(302, 302, 403, 403, 302), make=YEAR),
    "reports:status": Special(get=by(200, 200, 403, 403, 200), make=YEAR),
    "reports:download": Special(get=by(200, 200, 403, 403, 404), make=_report_build),
    # The evidence binder: the office and leaders (the outsider reads their own committee's page).
    "reports:binder": Special(get=by(200, 200, 403, 403, 200), make=YEAR),
    "reports:binder_build": Special(get=everyone(405), post=by(302, 302, 403, 403, 302), make=YEAR),
    "reports:binder_status": Special(get=by(200, 200, 403, 403, 200), make=YEAR),
    "reports:binder_download": Special(get=by(200, 200, 403, 403, 404), make=_binder),
    "responsibility:task_month": Special(get=everyone(200)),
    "responsibility:task_done": Special(
        get=everyone(405),
        post=by(302, 403, 302, 404, 404),
        make=lambda w, i: {"pk": f.MonthlyTaskFactory(committee=w.committee, branch=w.branch).pk},
    ),
    "responsibility:analysis_matrix": Special(get=everyone(200)),
    "responsibility:letter_verify": Special(get=everyone(200), post=everyone(200)),
    "responsibility:letter_issue": Special(get=everyone(405), post=by(302, 403, 403, 404, 404), make=_letter("draft")),
    "responsibility:letter_sign": Special(
        get=by(403, 403, 200, 404, 404), post=by(403, 403, 200, 404, 404), make=_letter("issued")
    ),
    "responsibility:letter_countersign": Special(
        get=by(403, 200, 403, 404, 404), post=by(403, 200, 403, 404, 404), make=_letter("signed")
    ),
    "responsibility:letter_revoke": Special(
        get=by(200, 403, 403, 404, 404), post=by(200, 403, 403, 404, 404), make=_letter("issued")
    ),
    "responsibility:letter_new_version": Special(
        get=everyone(405), post=by(302, 403, 403, 404, 404), make=_letter("revoked")
    ),
    "responsibility:letter_offline": Special(
        get=by(200, 403, 403, 404, 404), post=by(200, 403, 403, 404, 404), make=_letter("draft")
    ),
    "responsibility:letter_pdf": Special(get=by(200, 200, 200, 404, 404), make=_letter("issued")),
    # The completion screen after a signature: anyone who reads the letter.
    "responsibility:letter_signed": Special(get=by(200, 200, 200, 404, 404), post=everyone(405), make=_letter("signed")),
    "study:overview": Special(get=everyone(200)),
    "study:appstat_export": Special(get=everyone(200)),  # scoped: a secretary gets their branch's rows
    "study:appstat_upload": Special(get=by(200, 403, 403, 403, 200), post=by(200, 403, 403, 403, 200)),
    "study:appstat_upload_job": Special(get=by(200, 403, 403, 403, 404), make=_import_job("学习强国")),
    "study:appstat_upload_status": Special(get=by(200, 403, 403, 403, 404), make=_import_job("学习强国")),
    "study:appstat_upload_confirm": Special(
        get=everyone(405), post=by(302, 403, 403, 403, 404), make=_import_job("学习强国")
    ),
    "publicity:activity_photo_add": Special(
        get=everyone(405),
        post=by(302, 403, 403, 403, 404),
        make=lambda w, i: {"pk": f.ActivityFactory(committee=w.committee).pk},
    ),
    "publicity:channel_check_remove": Special(get=everyone(405), post=by(302, 403, 403, 403, 404), make=_channel_check),
    "publicity:activity_photo_remove": Special(get=everyone(405), post=by(302, 403, 403, 403, 404), make=_activity_photo),
    # Verification: any logged-in user of a committee; the seal's history: the office.
    "verify": Special(get=everyone(200), post=everyone(200)),
    "verify_code": Special(get=everyone(200), post=everyone(200), make=_issued_code),
    "seal_certificate": Special(get=everyone(200), make=_seal),
    "seal_history": Special(get=by(200, 403, 403, 403, 200)),
    "assessment:index": Special(get=by(200, 403, 403, 403, 200), post=by(200, 403, 403, 403, 200)),
    "assessment:mine": Special(get=by(200, 403, 403, 403, 200)),
    "assessment:rectifications": Special(get=by(200, 403, 403, 403, 200)),
    "assessment:rectification": Special(get=CHILD_PAGE, post=by(302, 403, 403, 403, 404), make=_rectification,
                                        data={"action": "close", "note": "已整改"}),
    "assessment:import": Special(get=by(200, 403, 403, 403, 200), post=by(200, 403, 403, 403, 200)),
    "assessment:import_confirm": Special(get=everyone(405), post=by(302, 403, 403, 403, 302)),
    "assessment:rubric": Special(get=PARENT_PAGE, make=_own_rubric),
    "assessment:item_add": Special(get=PARENT_PAGE, post=PARENT_PAGE, make=_own_rubric),
    "assessment:item_edit": Special(get=PARENT_PAGE, post=PARENT_PAGE, make=_own_rubric_item),
    "assessment:item_delete": Special(get=PARENT_PAGE, post=by(302, 403, 403, 403, 404), make=_own_rubric_item),
    "assessment:bands": Special(get=everyone(405), post=by(302, 403, 403, 403, 404), make=_own_rubric,
                                data={"excellent": "90", "good": "80", "passing": "60"}),
    "assessment:publish": Special(get=PARENT_PAGE, post=by(302, 403, 403, 403, 404), make=_own_rubric),
    "assessment:ranking": Special(get=PARENT_PAGE, make=_own_rubric),
    "assessment:ranking_xlsx": Special(get=PARENT_PAGE, make=_own_rubric),
    "assessment:ranking_pdf": Special(get=PARENT_PAGE, make=_own_rubric),
    "assessment:detail": Special(get=CHILD_PAGE, make=_assessment_page),
    "assessment:sheet_xlsx": Special(get=CHILD_PAGE, make=_assessment_page),
    "assessment:self_score": Special(get=everyone(405), post=by(302, 403, 403, 403, 404), make=_assessment_item,
                                     data={"self_score": "1"}),
    "assessment:review": Special(get=everyone(405), post=PARENT_ONLY, make=_assessment_item,
                                 data={"decision": "accept"}),
    # Submitting without the manual item's score is refused with a message on the page.
    "assessment:submit": Special(get=CHILD_PAGE, post=by(302, 403, 403, 403, 404), make=_assessment_page),
    "assessment:return": Special(get=PARENT_ONLY, post=PARENT_ONLY, make=_assessment_page),
    "assessment:finalise": Special(get=PARENT_ONLY, post=PARENT_ONLY, make=_assessment_page),
    "publicity:channel_check_add": Special(
        get=everyone(405),
        post=by(302, 403, 403, 403, 404),
        make=lambda w, i: {"pk": f.ChannelFactory(committee=w.committee).pk},
    ),
}

# Answers that differ from the intended ones above, as the code stands. Each is
# asserted as it is (so it cannot get worse unnoticed) and reported to the
# lead; the test says so once one is fixed, so the entry can be removed.
# (url name, role, method) -> actual answer.
KNOWN_DEVIATIONS: dict[tuple[str, str, str], object] = {}


# -- the test -----------------------------------------------------------------------


def test_every_url_has_expectations():
    missing = [name for name in URL_NAMES if generic(name) is None and name not in SPECIAL]
    assert not missing, (
        "URL patterns with no expected answers in tests/security/test_permission_matrix.py "
        f"(add the record type to RECORDS or the view to SPECIAL): {missing}"
    )
    stale = [name for name in SPECIAL if name not in URL_NAMES]
    assert not stale, f"SPECIAL lists URL names that no longer exist: {stale}"
    for prefix in RECORDS:
        assert f"{prefix}_list" in URL_NAMES, f"RECORDS lists {prefix}, which has no list page"


def expectations(name: str):
    found = generic(name)
    if found:
        prefix, rec, action = found
        get, post = generic_expectations(rec, action)

        def make(w, i):
            if action in ("list", "create"):
                return {}
            obj = rec.make(w, i)
            kwargs = {"pk": obj.pk}
            if action == "history_restore":
                kwargs["history_id"] = obj.history.order_by("history_id").first().history_id
            return kwargs

        return get, post, make, {}, ""
    special = SPECIAL[name]
    return special.get, special.post, special.make or (lambda w, i: {}), special.data, special.query


def answer(response):
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return LOGIN
    return response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n in URL_NAMES if generic(n) or n in SPECIAL])
def test_permission_matrix(name, world, client_for):
    get, post, make, data, query = expectations(name)
    users = {
        "office": world.office,
        "leader": world.leader,
        "own_secretary": world.branch_secretary,
        "other_secretary": world.other_secretary,
        "outsider": world.outsider,
    }
    clients = {role: client_for(user) for role, user in users.items()}
    clients["anonymous"] = Client()
    wrong = []
    i = 0
    shared_kwargs = make(world, i)
    for method, table in (("GET", get), ("POST", post)):
        if table is None:
            continue
        for role in ROLES:
            expected = table.get(role, LOGIN if role == "anonymous" else None)
            assert expected is not None, f"{name}: no answer for {role}"
            i += 1
            # Reading changes nothing, so GETs share one object; each POST gets
            # a fresh one, so one visitor's write cannot decide the next answer.
            url = reverse(name, kwargs=shared_kwargs if method == "GET" else make(world, i)) + query
            client = clients[role]
            response = client.get(url) if method == "GET" else client.post(url, data)
            got = answer(response)
            known = KNOWN_DEVIATIONS.get((name, role, method))
            if known is not None:
                if got == expected:
                    wrong.append(f"{method} {role}: fixed (now {got}), remove it from KNOWN_DEVIATIONS")
                elif got != known:
                    wrong.append(f"{method} {role}: expected {expected} (known deviation {known}), got {got}")
            elif got != expected:
                wrong.append(f"{method} {role}: expected {expected}, got {got}")
    assert not wrong, f"{name} ({url}):\n  " + "\n  ".join(wrong)


@pytest.mark.django_db
def test_admin_is_staff_only(world, client_for):
    assert answer(Client().get("/admin/")) == 302
    response = client_for(world.office).get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# == What each role receives: content, not only the status ====================================
#
# Two committees and two branches hold records of every type whose text carries
# a marker ("zq" + where it lives + what it is). Each role then GETs every URL
# of the portal with every seeded object's ids (their own and everyone else's,
# so guessed ids are covered), the lists with the year, a search and the xlsx
# export, the figure evidence lists, every download (ledger workbook, report
# builds, letter PDFs, attachments, files). The text of every answer (HTML,
# PDF through pdftotext, xlsx/docx/zip members, headers) must hold no marker
# the role may not read, whatever the status code; and each marker a role may
# read must turn up somewhere, so the check cannot pass by showing nothing.

CONTENT_ROLES = ("anonymous", "office", "leader", "member", "own_secretary", "other_secretary", "outsider")
ALPHA = frozenset({"office", "leader", "member", "own_secretary", "other_secretary"})
BRANCH_READERS = {
    "A": frozenset({"office", "leader", "member", "own_secretary"}),
    "B": frozenset({"office", "leader", "member", "other_secretary"}),
    "C": ALPHA,  # committee-level records and the organisation
    "X": frozenset({"outsider"}),  # the other committee
}


@dataclass
class Seeded:
    """The marked records: who may read each marker, and every object by URL prefix."""

    markers: dict[str, frozenset] = field(default_factory=dict)
    objects: dict[str, list] = field(default_factory=dict)
    attachments: list = field(default_factory=list)
    documents: list = field(default_factory=list)  # with a file
    trashed: list = field(default_factory=list)
    notifications: list = field(default_factory=list)
    builds: list = field(default_factory=list)
    jobs: list = field(default_factory=list)
    codes: list = field(default_factory=list)
    checks: list = field(default_factory=list)
    photos: list = field(default_factory=list)
    committees: list = field(default_factory=list)
    world: object = None  # for the objects a Special makes on demand (assessment, binder)
    made: int = 0

    def mark(self, text: str, readers) -> str:
        self.markers[text] = frozenset(readers)
        return text

    def add(self, prefix: str, obj) -> None:
        self.objects.setdefault(prefix, []).append(obj)


def _marked_record(prefix: str, committee, branch, text: str):
    """One record of the type at ``prefix`` whose text is ``text`` (branch None = committee level)."""
    make = {
        "portal:branch": lambda: f.BranchFactory(committee=committee, name=text),
        "portal:department": lambda: f.DepartmentFactory(committee=committee, branch=branch, name=text),
        "portal:person": lambda: f.PersonFactory(committee=committee, branch=branch, name=text),
        "responsibility:assignment": lambda: f.AssignmentFactory(committee=committee, scope=text),
        "responsibility:document": lambda: f.WorkDocumentFactory(committee=committee, title=text),
        "responsibility:meeting": lambda: f.CommitteeMeetingFactory(committee=committee, title=text),
        "responsibility:task": lambda: f.MonthlyTaskFactory(committee=committee, branch=branch, task=text),
        "responsibility:analysis": lambda: f.TrendAnalysisFactory(committee=committee, branch=branch, topic=text),
        "study:session": lambda: f.StudySessionFactory(
            committee=committee, branch=branch, theme=text, kind="party_day" if branch else "central_group"
        ),
        "study:appstat": lambda: f.StudyAppStatFactory(committee=committee, branch=branch),
        "study:handout": lambda: f.MaterialHandoutFactory(committee=committee, title=text),
        "publicity:article": lambda: f.ArticleFactory(committee=committee, title=text),
        "publicity:bulletin": lambda: f.InternalBulletinFactory(committee=committee, title=text),
        "publicity:channel": lambda: f.ChannelFactory(committee=committee, name=text),
        "publicity:rolemodel": lambda: f.RoleModelFactory(committee=committee, honour=text, story=text),
        "publicity:activity": lambda: f.ActivityFactory(committee=committee, title=text),
    }
    if prefix == "responsibility:inspection":
        obj = f.InspectionFactory(committee=committee, findings=text)
        obj.branches.set([branch] if branch else [])
        return obj
    return make[prefix]()


# Record types whose rows belong to one branch (a secretary reads only their own branch's).
BRANCH_TYPES = {"responsibility:task", "responsibility:inspection", "responsibility:analysis", "study:session",
                "study:appstat"}
# Branch required: no committee-level row.
BRANCH_ONLY = {"responsibility:analysis"}
# The organisation: every member of the committee reads it, whichever branch a row names.
ORG_TYPES = {"portal:branch", "portal:department", "portal:person"}
# No text to mark (rows of figures); still requested by id.
UNMARKED = {"study:appstat"}


def _issued_letter(committee, branch, text: str):
    from responsibility.models import ResponsibilityLetter, body_hash

    letter = f.ResponsibilityLetterFactory(committee=committee, branch=branch, year=2020, title=text,
                                           body=f"{text}正文")
    ResponsibilityLetter.all_objects.filter(pk=letter.pk).update(status="issued", body_sha256=body_hash(letter.body))
    return ResponsibilityLetter.all_objects.get(pk=letter.pk)


def _done_build(committee, text: str):
    """A finished build whose files carry the committee's marker (the files are what is served)."""
    from reports.models import AnnualReport, ReportBuild

    report = AnnualReport.objects.get_or_create(committee=committee, year=2020)[0]
    build = ReportBuild.objects.create(report=report, status=ReportBuild.Status.DONE)
    build.pdf_file.save("r.pdf", ContentFile(b"%PDF-1.4 " + text.encode()), save=False)
    build.html_file.save("r.html", ContentFile(f"<p>{text}</p>".encode()), save=False)
    build.save()
    return build


def seed_markers(world) -> Seeded:
    """Marked records of every type in both committees and both branches (see above)."""
    from django.utils import timezone

    from portal.models import IssuedDocument, Person
    from portal.notifications import notify
    from study.models import StudySession

    s = Seeded(world=world)
    alpha, beta = world.committee, world.other_committee
    s.committees = [alpha, beta]
    places = {"A": (alpha, world.branch), "B": (alpha, world.other_branch), "C": (alpha, None),
              "X": (beta, world.other_committee_branch)}
    for prefix in RECORDS:
        if prefix in ("responsibility:talk", "responsibility:letter"):
            continue
        kind = prefix.split(":")[1]
        for place, (committee, branch) in places.items():
            if place in "AB" and prefix not in BRANCH_TYPES:
                continue
            if place == "C" and prefix in BRANCH_ONLY:
                continue
            if prefix in ORG_TYPES:
                # An organisation row names a branch, but the whole committee reads it.
                branch = world.other_branch if place == "C" else world.other_committee_branch
            elif place == "X":
                branch = world.other_committee_branch if prefix in BRANCH_TYPES else None
            text = f"zq{place}{kind}"
            obj = _marked_record(prefix, committee, branch, text)
            if prefix not in UNMARKED:
                s.mark(text, BRANCH_READERS[place])
            s.add(prefix, obj)

    # Talks: everyone in the committee sees that one happened; the summary only the
    # talker, the committee secretary (the leader) and the office.
    member = f.person_with_user(alpha, "member", role="leader", branch=world.branch, is_committee_member=True)
    s.member = member
    leader_person = Person.objects.get(user=world.leader)
    talk_s = f.TalkFactory(committee=alpha, talker=leader_person, summary=s.mark("zqSsummary", {"office", "leader"}))
    talk_t = f.TalkFactory(committee=alpha, talker=Person.objects.get(user=member),
                           summary=s.mark("zqTsummary", {"office", "leader", "member"}))
    talk_x = f.TalkFactory(committee=beta, summary=s.mark("zqXsummary", BRANCH_READERS["X"]))
    for talk in (talk_s, talk_t, talk_x):
        s.add("responsibility:talk", talk)

    # Letters (issued, so they have a PDF) of branch A, branch B and the other committee.
    for place in "ABX":
        committee, branch = places[place]
        letter = _issued_letter(committee, branch, s.mark(f"zq{place}letter", BRANCH_READERS[place]))
        s.mark(f"zq{place}letter正文", BRANCH_READERS[place])
        s.add("responsibility:letter", letter)

    # Attachments (their file names are the markers), on records of each place.
    sessions = {obj.theme: obj for obj in s.objects["study:session"]}
    for place, record in (("A", sessions["zqAsession"]), ("B", sessions["zqBsession"]),
                          ("C", s.objects["responsibility:meeting"][0]), ("X", sessions["zqXsession"])):
        uploader = world.outsider if place == "X" else world.office
        s.attachments.append(f.attach(record, uploader, s.mark(f"zq{place}attach", BRANCH_READERS[place]) + ".pdf"))
    s.attachments.append(f.attach(talk_s, world.office, s.mark("zqSattach", {"office", "leader"}) + ".pdf"))

    # A work document's own file, of each committee.
    for doc in s.objects["responsibility:document"]:
        place = "X" if doc.committee_id == beta.pk else "C"
        name = s.mark(f"zq{place}docfile", BRANCH_READERS[place])
        doc.file.save(f"{name}.pdf", ContentFile(b"%PDF-1.4 " + name.encode()), save=True)
        s.documents.append(doc)

    # Channel checks and activity photos (rows under a record).
    for channel in s.objects["publicity:channel"]:
        place = "X" if channel.committee_id == beta.pk else "C"
        s.checks.append(f.ChannelCheckFactory(committee=channel.committee, channel=channel,
                                              findings=s.mark(f"zq{place}check", BRANCH_READERS[place])))
    from publicity.models import ActivityPhoto

    for activity in s.objects["publicity:activity"]:
        place = "X" if activity.committee_id == beta.pk else "C"
        photo = ActivityPhoto(committee=activity.committee, activity=activity,
                              caption=s.mark(f"zq{place}photo", BRANCH_READERS[place]))
        photo.image.save("p.png", ContentFile(f.png_bytes()), save=True)
        s.photos.append(photo)

    # History: an older version of a branch record says something only the office reads.
    for place in "AB":
        session = sessions[f"zq{place}session"]
        current = session.theme
        session.theme = s.mark(f"zq{place}oldtheme", {"office"})
        session.save()
        session.theme = current
        session.save()

    # The trash: the office of the committee reads what is in it.
    now = timezone.now()
    for place in "ABX":
        committee, branch = places[place]
        trashed = f.StudySessionFactory(committee=committee, branch=branch, kind="party_day",
                                        theme=s.mark(f"zq{place}trashed", {"outsider"} if place == "X" else {"office"}))
        StudySession.all_objects.filter(pk=trashed.pk).update(deleted_at=now)
        s.trashed.append(trashed)

    # Notifications are their recipient's own.
    for committee, user, text in ((alpha, world.branch_secretary, "zqNnote"), (beta, world.outsider, "zqYnote")):
        s.mark(text, {"own_secretary" if user == world.branch_secretary else "outsider"})
        person = Person.objects.get(user=user)
        s.notifications += notify(committee=committee, recipients=[person], message=text, link="/", kind="matrix",
                                  key=text)

    # Report builds, import jobs and issued documents of each committee (by id).
    for committee, text, readers in ((alpha, "zqRreport", {"office", "leader", "member"}), (beta, "zqXreport",
                                                                                            {"outsider"})):
        s.builds.append(_done_build(committee, s.mark(text, readers)))
    for committee, user in ((alpha, world.office), (beta, world.outsider)):
        from portal.models import ImportJob

        result = {"ok": True, "sheets": [], "errors": [], "rows": [], "error_count": 0, "row_count": 0}
        s.jobs.append(ImportJob.objects.create(
            committee=committee, started_by=user, sheet="", reason="导入", dry_run=True,
            token=f"content-{committee.pk}", sha256="0" * 64, filename="a.xlsx", status="done", result=result))
        s.codes.append(IssuedDocument.objects.create(
            code=f"CNTX{committee.pk:08d}", kind="tests.matrix", object_id=str(committee.pk), committee=committee,
            description="矩阵测试文件", sha256=f"{committee.pk:064d}", issued_at=now))
    return s


def _history_ids(obj) -> list[int]:
    return list(obj.history.order_by("history_id").values_list("history_id", flat=True))


def content_kwargs(name: str, s: Seeded) -> list[dict] | None:
    """Every set of URL arguments to try for ``name``: the seeded objects of all places."""
    found = generic(name)
    if found:
        prefix, _rec, action = found
        if action in ("list", "create"):
            return [{}]
        objects = s.objects.get(prefix, [])
        if action == "history_restore":
            return [{"pk": o.pk, "history_id": h} for o in objects for h in _history_ids(o)]
        return [{"pk": o.pk} for o in objects]
    letters = [{"pk": o.pk} for o in s.objects["responsibility:letter"]]
    jobs = [{"pk": j.pk} for j in s.jobs]
    year = [{"year": 2020}]
    label = lambda o: o._meta.label_lower  # noqa: E731
    table = {
        "file_download": [{"label": label(d), "pk": d.pk, "field": "file"} for d in s.documents],
        "attachment_add": [{"label": label(o), "pk": o.pk} for o in s.objects["study:session"]],
        "attachment_download": [{"pk": a.pk} for a in s.attachments],
        "attachment_remove": [{"pk": a.pk} for a in s.attachments],
        "notification_open": [{"pk": n.pk} for n in s.notifications],
        "notification_read": [{"pk": n.pk} for n in s.notifications],
        "trash_restore": [{"label": label(o), "pk": o.pk} for o in s.trashed],
        "trash_purge": [{"label": label(o), "pk": o.pk} for o in s.trashed],
        "committee_history_restore": [{"pk": c.pk, "history_id": h} for c in s.committees for h in _history_ids(c)],
        "ledger:import_job": jobs, "ledger:import_job_status": jobs, "ledger:import_confirm": jobs,
        "study:appstat_upload_job": jobs, "study:appstat_upload_status": jobs, "study:appstat_upload_confirm": jobs,
        "reports:download": [{"pk": b.pk, "fmt": fmt} for b in s.builds for fmt in ("pdf", "html", "docx", "xlsx")],
        "responsibility:task_done": [{"pk": o.pk} for o in s.objects["responsibility:task"]],
        "publicity:activity_photo_add": [{"pk": o.pk} for o in s.objects["publicity:activity"]],
        "publicity:channel_check_add": [{"pk": o.pk} for o in s.objects["publicity:channel"]],
        "publicity:channel_check_remove": [{"pk": c.channel_id, "check_pk": c.pk} for c in s.checks],
        "publicity:activity_photo_remove": [{"pk": p.activity_id, "photo_pk": p.pk} for p in s.photos],
        "verify_code": [{"code": d.code} for d in s.codes],
    }
    for action in ("detail", "edit", "finalise", "reopen", "history", "build", "status"):
        table[f"reports:{action}"] = year
    for action in ("issue", "sign", "countersign", "signed", "revoke", "new_version", "offline", "pdf"):
        table[f"responsibility:letter_{action}"] = letters
    if name in table:
        return table[name]
    special = SPECIAL.get(name)
    if special is not None and special.make is not None and name.split(":")[0] in ("assessment", "reports"):
        # The assessment's and the binder's objects, made as the status matrix makes them
        # (alpha under a parent, or over a child of its own): every role asks for them too.
        s.made += 1
        return [special.make(s.world, 800 + s.made)]
    pattern_has_args = "<" in _route(name)
    return None if pattern_has_args else [{}]


def _route(name: str) -> str:
    """The URL pattern of ``name`` as written (``org/branch/<int:pk>/``)."""
    return ROUTES[name]


def _routes(resolver=None, namespace=None, prefix="") -> dict[str, str]:
    resolver = resolver or get_resolver()
    routes = {}
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if (entry.namespace or namespace) not in NOT_IN_MATRIX:
                routes.update(_routes(entry, entry.namespace or namespace, prefix + str(entry.pattern)))
        elif isinstance(entry, URLPattern):
            routes[f"{namespace}:{entry.name}" if namespace else entry.name] = prefix + str(entry.pattern)
    return routes


ROUTES = _routes()


# Extra query strings for pages that take them: the year, a search, the export.
def content_queries(name: str) -> list[str]:
    found = generic(name)
    if found and found[2] == "list":
        return ["?year=2020", "?year=2020&q=zq", "?year=2020&export=xlsx"]
    if name in ("dashboard", "ledger:export_download", "study:appstat_export", "study:overview",
                "responsibility:task_month", "responsibility:analysis_matrix", "reports:index"):
        return ["?year=2020"]
    return [""]


def figure_urls() -> list[str]:
    """Every figure's evidence list (``?figure=``) for the seeded year."""
    from portal import figures

    urls = []
    for key, figure in sorted(figures.FIGURES.items()):
        if figure.takes_arg:
            continue
        url = figures.url(key, 2020)
        if url:
            urls.append(url)
    return urls


def received_text(response) -> str:
    """Everything a response says: headers that name things, the body as text
    (HTML/CSV/JSON as is, PDF through pdftotext, zip members such as xlsx and docx
    part by part)."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    head = " ".join(response.get(h, "") for h in ("Content-Disposition", "Location"))
    return head + "\n" + _bytes_text(body)


def _bytes_text(data: bytes) -> str:
    import io
    import subprocess
    import zipfile

    if data.startswith(b"%PDF"):
        done = subprocess.run(["pdftotext", "-q", "-", "-"], input=data, capture_output=True, timeout=60)
        # A PDF pdftotext cannot read is searched as bytes (a stub in a test fixture).
        return done.stdout.decode("utf-8", "replace") + data.decode("latin-1")
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(_bytes_text(archive.read(member)) for member in archive.namelist())
    return data.decode("utf-8", "replace")


def role_users(world, seeded) -> dict:
    return {
        "office": world.office, "leader": world.leader, "member": seeded.member,
        "own_secretary": world.branch_secretary, "other_secretary": world.other_secretary,
        "outsider": world.outsider,
    }


def content_urls(seeded: Seeded) -> list[str]:
    urls = []
    for name in URL_NAMES:
        if name in ("logout",):
            continue
        for kwargs in content_kwargs(name, seeded) or []:
            for query in content_queries(name):
                urls.append(reverse(name, kwargs=kwargs) + query)
    return urls + figure_urls()


def leaks(role: str, text: str, markers: dict) -> list[str]:
    return [m for m, readers in markers.items() if m in text and role not in readers]


@pytest.mark.django_db
def test_every_parameterised_url_has_seeded_arguments(world):
    seeded = seed_markers(world)
    missing = [n for n in URL_NAMES if content_kwargs(n, seeded) is None]
    assert not missing, f"add these URL names to content_kwargs so their content is checked: {missing}"


@pytest.mark.django_db
def test_no_role_receives_what_it_may_not_read(world):
    """For every URL with every seeded id, as every role: no foreign marker in any answer."""
    seeded = seed_markers(world)
    clients = {role: Client() for role in CONTENT_ROLES}
    for role, user in role_users(world, seeded).items():
        clients[role].force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    urls = content_urls(seeded)
    found, wrong = {role: set() for role in CONTENT_ROLES}, []
    for role in CONTENT_ROLES:
        for url in urls:
            response = clients[role].get(url)
            assert response.status_code < 500, f"{role} GET {url}: {response.status_code}"
            text = received_text(response)
            for marker in leaks(role, text, seeded.markers):
                wrong.append(f"{role} GET {url} ({response.status_code}) shows {marker}")
            # scripts/mutation_check.py wants the first leak, not the whole list.
            assert not (wrong and os.environ.get("MUTATION_CHECK")), wrong[0]
            found[role].update(m for m in seeded.markers if m in text)
    assert not wrong, "leaks:\n  " + "\n  ".join(wrong[:60])
    unseen = [f"{role}: {m}" for m, readers in seeded.markers.items() for role in readers if m not in found[role]]
    assert not unseen, "markers a reader never saw (the check would pass by showing nothing):\n  " + "\n  ".join(
        unseen
    )


def form_data(client, url: str, **changes) -> dict:
    """What the form on the page at ``url`` (a portal form or the admin's) posts back as
    it stands, with ``changes``."""
    from django.db.models.fields.files import FieldFile

    response = client.get(url)
    context = response.context or {}
    form = context.get("form")
    if context.get("adminform") is not None:
        form = context["adminform"].form
    data = {}
    for bound in form or []:
        value = bound.value()
        if value is None or value is False:
            continue
        if isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(v) for v in value]
        elif value is True:
            data[bound.html_name] = "on"
        elif hasattr(value, "isoformat"):
            data[bound.html_name] = value.isoformat()
        elif not isinstance(value, FieldFile):  # files are left as they are
            data[bound.html_name] = str(value)
    data.update(changes)
    return data


# -- branch-scoped files: another branch's letter PDF and evidence answer 404 ------------------


@pytest.mark.django_db
def test_a_branch_secretary_downloads_no_other_branchs_file_even_by_guessing_ids(world, client_for):
    from portal.models import Attachment

    seeded = seed_markers(world)
    secretary = client_for(world.branch_secretary)
    letters = {letter.title[2]: letter for letter in seeded.objects["responsibility:letter"]}
    assert secretary.get(reverse("responsibility:letter_pdf", args=[letters["A"].pk])).status_code == 200
    for place in "BX":
        assert secretary.get(reverse("responsibility:letter_pdf", args=[letters[place].pk])).status_code == 404
    # Evidence of their branch and the committee: read; of a talk they may read but not its
    # confidential notes: 403; anything else (branch B, the other committee, no such id): 404.
    answers = {a.pk: {"A": 200, "C": 200, "S": 403}.get(a.original_name[2], 404) for a in seeded.attachments}
    highest = Attachment.all_objects.order_by("-pk").first().pk
    for pk in range(1, highest + 5):  # every id there is, and a few that are not yet
        response = secretary.get(reverse("attachment_download", args=[pk]))
        assert response.status_code == answers.get(pk, 404), (pk, response.status_code)
