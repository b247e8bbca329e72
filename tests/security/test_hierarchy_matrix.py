"""Every URL of the portal as the visitors of a committee tree (ASSESSMENT.md, "The hierarchy").

The URLs, the objects behind them and the POST data are those of
tests/security/test_permission_matrix.py (objects of 甲局, the child). The
visitors:

- ``viewer``: the province's office, switched to 甲局 (read-only);
- ``assessor``: the province's assessor, switched to 甲局 (read-only);
- ``sibling``: the office of 乙局, 甲局's sibling under the same province;
- ``child``: 甲局's own office, asking for the same URLs built on the province's objects.

Read-only visitors get 200 exactly on the pages listed in VIEWER_READS and a
refusal (403/404/405) everywhere else; every POST they send is refused and
changes no row anywhere. The sibling and the child get no page that shows the
other committee's marker text, and the child no object of its parent.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.urls import reverse

from tests import factories as f
from tests.conftest import World
from tests.security.test_permission_matrix import SPECIAL, URL_NAMES, answer, expectations, generic

REFUSED = {403, 404, 405}

# What a read-only visitor reads (200 on GET): lists and details of every record
# type, the dashboard, the annual report and its builds, the ledger export, files
# and evidence, verification; plus their own account's pages.
VIEWER_READS = {
    "login": 302,  # already logged in: sent on
    "logout": 200,  # asks first
    "password_change": 200,
    "password_change_done": 200,
    "notifications": 200,
    "dashboard": 200,
    "committee": 200,
    "file_download": 200,
    "attachment_download": 200,
    "ledger:export": 200,
    "ledger:export_download": 200,
    "reports:index": 200,
    "reports:detail": 200,
    "reports:status": 200,
    "reports:download": 200,
    "reports:binder": 200,
    "assessment:index": 200,
    "assessment:rectifications": 200,
    "reports:binder_status": 200,
    "reports:binder_download": 200,
    "responsibility:task_month": 200,
    "responsibility:analysis_matrix": 200,
    "responsibility:letter_verify": 200,
    "responsibility:letter_pdf": 200,
    "responsibility:letter_signed": 200,
    "study:overview": 200,
    "study:appstat_export": 200,
    "verify": 200,
    "verify_code": 200,
    "seal_certificate": 200,
}
GENERIC_READS = {"list", "detail"}

# POSTs that write nothing of a committee: the visitor's own account and session,
# checking a PDF, switching the viewed committee (tests/portal/test_hierarchy.py).
OWN_POSTS = {"logout", "password_change", "session_extend", "notifications_read_all", "verify", "verify_code",
             "responsibility:letter_verify", "committee_switch"}

# POSTs a read-only visitor may send because they pack a committee's records into a
# document without changing any (ASSESSMENT.md: the assessment group asks for the
# evidence binder): only the job's own table may change.
VIEWER_BUILDS = {"reports:binder_build": {"reports.binderbuild"}}

# Pages whose text may name the other committee by design: the committee page names
# its 上级党委, and a verification code's page describes the document to whoever holds
# the paper copy (docs/security.md, "Sealed documents").
NAMES_OTHERS = {"committee", "verify_code"}

CHILD_MARK, PROVINCE_MARK = "甲局标记", "省中心标记"

# Tables a request writes whatever it is (sessions, login records, a kept form).
BOOKKEEPING = {"sessions.session", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog",
               "portal.keptform"}


def snapshot() -> dict:
    return {
        m._meta.label_lower: sorted(map(repr, m._base_manager.values_list()))
        for m in apps.get_models()
        if m._meta.label_lower not in BOOKKEEPING
    }


def viewer_get(name: str):
    found = generic(name)
    if found:
        return 200 if found[2] in GENERIC_READS else None
    return VIEWER_READS.get(name)


def province_world(h) -> World:
    """The province built like the child, for the child's office to try its objects."""
    province = h.province
    branch = f.BranchFactory(committee=province, name="省中心第一党支部")
    other_branch = f.BranchFactory(committee=province, name="省中心第二党支部")
    leader = f.person_with_user(province, "p_leader", role="leader", branch=branch, is_committee_member=True,
                                is_secretary=True)
    sec = f.person_with_user(province, "p_sec_a", role="branch_secretary", branch=branch)
    other_sec = f.person_with_user(province, "p_sec_b", role="branch_secretary", branch=other_branch)
    branch.secretary, other_branch.secretary = sec.person, other_sec.person
    branch.save()
    other_branch.save()
    return World(committee=province, branch=branch, other_branch=other_branch, office=h.province_office,
                 leader=leader, branch_secretary=sec, other_secretary=other_sec, outsider=h.world.office,
                 other_committee=h.world.committee, other_committee_branch=h.world.branch, no_person=h.world.no_person)


def mark(committee, text):
    f.CommitteeMeetingFactory(committee=committee, title=f"{text}的会议")
    f.TalkFactory(committee=committee, summary=f"{text}的谈话要点")
    f.ArticleFactory(committee=committee, title=f"{text}的稿件")


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n in URL_NAMES if generic(n) or n in SPECIAL])
def test_hierarchy_matrix(name, hierarchy, client_for):
    h, w = hierarchy, hierarchy.world
    get, post, make, data, query = expectations(name)
    mark(w.committee, CHILD_MARK)
    mark(h.province, PROVINCE_MARK)
    clients = {"viewer": client_for(h.province_office), "assessor": client_for(h.assessor),
               "sibling": client_for(w.outsider)}
    for role in ("viewer", "assessor"):
        assert clients[role].post(reverse("committee_switch"), {"committee": w.committee.pk}).status_code == 302
    wrong: list[str] = []
    i = 0
    kwargs = make(w, i)
    url = reverse(name, kwargs=kwargs) + query
    for role, client in clients.items():
        response = client.get(url)
        got, body = answer(response), _text(response)
        if role == "sibling":
            if got == 200 and "甲局" in body and name not in NAMES_OTHERS:
                wrong.append("GET sibling: shows 甲局's text")
            continue
        expected = viewer_get(name)
        if expected is None and got not in REFUSED:
            wrong.append(f"GET {role}: expected a refusal, got {got}")
        elif expected is not None and got != expected:
            wrong.append(f"GET {role}: expected {expected}, got {got}")
        if "谈话要点" in body and f"{CHILD_MARK}的谈话要点" in body:
            wrong.append(f"GET {role}: shows 甲局's talk summary")
    if post is not None and name not in OWN_POSTS:
        for role, client in clients.items():
            i += 1
            target = reverse(name, kwargs=make(w, i)) + query
            before = snapshot()
            got = answer(client.post(target, data))
            after = snapshot()
            if role != "sibling" and name in VIEWER_BUILDS:
                changed = {label for label in after if after[label] != before.get(label)}
                if got != 302 or not changed <= VIEWER_BUILDS[name]:
                    wrong.append(f"POST {role}: expected a build (302) changing only its job, got {got}, {changed}")
                continue
            if role != "sibling" and got not in REFUSED:
                wrong.append(f"POST {role}: expected a refusal, got {got}")
            if role != "sibling" and after != before:
                wrong.append(f"POST {role}: the database changed")
            if role == "sibling" and got not in REFUSED | {200, 302}:
                wrong.append(f"POST sibling: got {got}")
    wrong += _child_tries_the_parent(name, h, client_for, get, post, make, data, query)
    assert not wrong, f"{name} ({url}):\n  " + "\n  ".join(wrong)


def _child_tries_the_parent(name, h, client_for, get, post, make, data, query) -> list[str]:
    """甲局's office with the URL built on a province object: never found, never written."""
    wrong = []
    pw = province_world(h)
    kwargs = make(pw, 100)
    client = client_for(h.world.office)
    response = client.get(reverse(name, kwargs=kwargs) + query)
    got, body = answer(response), _text(response)
    if PROVINCE_MARK in body:
        wrong.append("GET child: shows the province's records")
    names_an_object = bool(set(kwargs) - {"year"}) and name not in NAMES_OTHERS | {"seal_certificate"}
    if names_an_object and got not in REFUSED:
        wrong.append(f"GET child on the province's object: expected a refusal, got {got}")
    if post is not None and names_an_object and name not in OWN_POSTS:
        target = reverse(name, kwargs=make(pw, 101)) + query
        before = snapshot()
        got = answer(client.post(target, data))
        if got not in REFUSED:
            wrong.append(f"POST child on the province's object: expected a refusal, got {got}")
        if snapshot() != before:
            wrong.append("POST child on the province's object: the database changed")
    return wrong


def _text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")
