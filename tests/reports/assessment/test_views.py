import datetime
import io
from decimal import Decimal as D

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from portal.models import Attachment
from reports.assessment import services
from reports.assessment.models import Assessment, AssessmentItem, Rectification, Rubric, RubricItem
from tests import factories as f

from .conftest import as_actor
from .sheets import ROWS, workbook_bytes


def url(name, *args):
    return reverse(f"assessment:{name}", args=args)


def item(assessment, code):
    return AssessmentItem.objects.get(assessment_id=assessment.pk, rubric_item__code=code)


def test_who_reads_an_assessment(tree, assessment, client_for):
    answers = {user.username: client_for(user).get(url("detail", assessment.pk)).status_code
               for user in (tree.world.office, tree.p_office, tree.assessor, tree.world.leader, tree.p_leader,
                            tree.world.branch_secretary, tree.sib_office, tree.world.outsider)}
    assert answers == {"office": 200, "p_office": 200, "assessor": 200, "leader": 403, "p_leader": 404,
                       "sec_a": 403, "sib_office": 404, "outsider": 404}


def test_the_unit_sees_live_values_with_their_evidence_link(tree, assessment, client_for):
    f.CommitteeMeetingFactory(committee=tree.child, is_ideology=True)
    page = client_for(tree.world.office).get(url("detail", assessment.pk)).content.decode()
    assert "figure=ideology_meetings&amp;year=2020" in page
    # one of two meetings, 2.5 per missing one: 5 − 2.5
    assert '<strong class="value">1</strong>' in page and '<strong class="score">2.5</strong>' in page


def test_the_assessor_follows_an_evidence_link_into_the_unit_read_only(tree, assessment, client_for):
    meeting = f.CommitteeMeetingFactory(committee=tree.child, is_ideology=True, title="证据链接专题会",
                                        date=datetime.date(2020, 5, 6))
    assessor = client_for(tree.assessor)
    page = assessor.get(url("detail", assessment.pk)).content.decode()
    evidence = reverse("responsibility:meeting_list") + "?figure=ideology_meetings&year=2020"
    assert 'name="next" value="%s"' % evidence.replace("&", "&amp;") in page
    landed = assessor.post(reverse("committee_switch"), {"committee": tree.child.pk, "next": evidence}, follow=True)
    assert landed.redirect_chain[-1][0] == evidence and meeting.title in landed.content.decode()
    assert "只读" in landed.content.decode()
    # an outside address is never followed
    away = assessor.post(reverse("committee_switch"), {"committee": tree.child.pk, "next": "https://evil.example/"})
    assert away.url == reverse("dashboard")


def test_self_score_submit_and_changes_since(tree, assessment, client_for):
    office = client_for(tree.world.office)
    manual = item(assessment, "3.1")
    response = office.post(url("self_score", assessment.pk, manual.pk), {"self_score": "9", "explanation": "x"})
    assert "得分应在 0–5 之间" in response.wsgi_request._messages._queued_messages[0].message
    manual.refresh_from_db()
    assert manual.self_score is None
    office.post(url("self_score", assessment.pk, manual.pk), {"self_score": "4.5", "explanation": "宣传栏检查"})
    manual.refresh_from_db()
    assert manual.self_score == D("4.5")
    assert office.get(url("submit", assessment.pk)).status_code == 200
    assert office.post(url("submit", assessment.pk)).status_code == 302
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.SUBMITTED
    f.StudySessionFactory(committee=tree.child)  # behind 2.1, after submit
    page = office.get(url("detail", assessment.pk)).content.decode()
    assert "有1条发生了变化" in page
    assert office.post(url("self_score", assessment.pk, manual.pk), {"self_score": "5"}).status_code == 403


def test_parent_cannot_self_score_and_child_cannot_review(tree, assessment, client_for):
    manual = item(assessment, "3.1")
    assert client_for(tree.p_office).post(url("self_score", assessment.pk, manual.pk),
                                          {"self_score": "5"}).status_code == 403
    services.item_self_assess(actor=as_actor(tree.world.office), item=manual, self_score="5")
    services.assessment_submit(actor=as_actor(tree.world.office), assessment=assessment)
    response = client_for(tree.world.office).post(url("review", assessment.pk, manual.pk),
                                                  {"decision": "adjust", "score": "5", "reason": "x"})
    assert response.status_code == 403
    assert client_for(tree.world.office).post(url("finalise", assessment.pk), {"due_date": "2099-01-01"}).status_code == 403


def test_review_adjust_needs_reason_then_finalise_opens_rectifications(tree, assessment, client_for):
    manual = item(assessment, "3.1")
    services.item_self_assess(actor=as_actor(tree.world.office), item=manual, self_score="5")
    services.assessment_submit(actor=as_actor(tree.world.office), assessment=assessment)
    assessor = client_for(tree.assessor)
    assessor.post(url("review", assessment.pk, manual.pk), {"decision": "adjust", "score": "3", "reason": ""})
    manual.refresh_from_db()
    assert manual.review == ""
    assessor.post(url("review", assessment.pk, manual.pk), {"decision": "adjust", "score": "3", "reason": "缺检查记录"})
    manual.refresh_from_db()
    assert (manual.review, manual.reviewer_score) == ("adjusted", D(3))
    bad = assessor.post(url("finalise", assessment.pk), {"due_date": "2001-01-01"})
    assert bad.status_code == 200 and "整改期限不能早于今天" in bad.content.decode()
    due = (datetime.date.today() + datetime.timedelta(days=60)).isoformat()
    assert assessor.post(url("finalise", assessment.pk), {"due_date": due}).status_code == 302
    assessment.refresh_from_db()
    assert assessment.is_final and assessment.total == D(3)
    assert Rectification.objects.filter(item__assessment=assessment).count() == 4  # every item lost points


def test_return_with_comment(tree, assessment, client_for):
    services.item_self_assess(actor=as_actor(tree.world.office), item=item(assessment, "3.1"), self_score="5")
    services.assessment_submit(actor=as_actor(tree.world.office), assessment=assessment)
    assessor = client_for(tree.assessor)
    assert "退回意见" in assessor.post(url("return", assessment.pk), {"comment": ""}).content.decode()
    assessor.post(url("return", assessment.pk), {"comment": "请补充阵地检查记录"})
    assessment.refresh_from_db()
    assert (assessment.state, assessment.round) == (Assessment.State.SELF, 2)
    assert "请补充阵地检查记录" in client_for(tree.world.office).get(url("detail", assessment.pk)).content.decode()


def test_evidence_upload_on_an_item_through_the_attachment_pages(tree, assessment, client_for):
    manual = item(assessment, "3.1")
    add = reverse("attachment_add", args=["assessment.assessmentitem", manual.pk])
    upload = lambda: SimpleUploadedFile("签到表.pdf", b"%PDF-1.4 evidence")  # noqa: E731
    assert client_for(tree.world.office).post(add, {"files": upload(), "note": "签到"}).status_code == 302
    assert client_for(tree.assessor).post(add, {"files": upload()}).status_code == 403
    assert client_for(tree.sib_office).post(add, {"files": upload()}).status_code == 404
    page = client_for(tree.assessor).get(url("detail", assessment.pk)).content.decode()
    assert "签到表.pdf" in page
    attachment = Attachment.objects.get(object_id=manual.pk)
    download = reverse("attachment_download", args=[attachment.pk])
    assert client_for(tree.assessor).get(download).status_code == 200
    assert client_for(tree.sib_office).get(download).status_code == 404


def test_import_in_the_browser_previews_then_writes(tree, client_for):
    office = client_for(tree.p_office)
    upload = SimpleUploadedFile("rubric.xlsx", workbook_bytes())
    page = office.post(url("import"), {"year": 2020, "file": upload}).content.decode()
    assert "检查通过" in page and not Rubric.objects.exists()
    token = page.split('name="token" value="')[1].split('"')[0]
    assert office.post(url("import_confirm"), {"token": token}).status_code == 302
    rubric = Rubric.objects.get(committee=tree.parent, year=2020)
    assert rubric.is_draft and rubric.items.count() == len(ROWS)
    assert office.post(url("publish", rubric.pk)).status_code == 302
    assert Assessment.objects.filter(rubric=rubric).count() == 2


def test_import_errors_are_listed_with_row_and_column(tree, client_for):
    rows = [r[:] for r in ROWS]
    rows[2][3] = "很多"
    upload = SimpleUploadedFile("rubric.xlsx", workbook_bytes(rows))
    page = client_for(tree.p_office).post(url("import"), {"year": 2020, "file": upload}).content.decode()
    assert "<td>考核细则</td><td>4</td><td>分值</td>" in page and "不是数字" in page
    assert "import-confirm" not in page and not Rubric.objects.exists()


def test_only_the_parent_office_imports_and_edits(tree, rubric, client_for):
    for user in (tree.assessor, tree.p_leader, tree.world.leader):
        assert client_for(user).get(url("import")).status_code == 403
    assert client_for(tree.sib_office).get(url("rubric", rubric.pk)).status_code == 404
    assert client_for(tree.world.office).get(url("rubric", rubric.pk)).status_code == 404
    assert client_for(tree.assessor).get(url("item_add", rubric.pk)).status_code == 403


def test_item_editor_while_draft(tree, rubric, client_for):
    office = client_for(tree.p_office)
    data = {"code": "4.1", "category": "活动", "content": "开展活动", "points": "2.5", "method": "auto",
            "indicator": "activities", "target": "4", "scoring": "deduct", "deduct_per": ""}
    page = office.post(url("item_add", rubric.pk), data).content.decode()
    assert "扣分须大于 0" in page and not rubric.items.filter(code="4.1").exists()
    for field, bad in (("deduct_per", "-1"), ("deduct_per", "0.3"), ("points", "101"), ("points", "0")):
        office.post(url("item_add", rubric.pk), {**data, "deduct_per": "1", field: bad})
        assert not rubric.items.filter(code="4.1").exists(), (field, bad)
    data["deduct_per"] = "0.5"
    assert office.post(url("item_add", rubric.pk), data).status_code == 302
    new = rubric.items.get(code="4.1")
    data["points"] = "3"
    office.post(url("item_edit", rubric.pk, new.pk), data)
    new.refresh_from_db()
    assert new.points == D(3)
    office.post(url("item_delete", rubric.pk, new.pk))
    assert not RubricItem.objects.filter(pk=new.pk).exists()
    services.rubric_publish(actor=as_actor(tree.p_office), rubric=rubric)
    assert office.get(url("item_add", rubric.pk)).status_code == 403


def test_ranking_page_and_xlsx(tree, assessment, client_for):
    services.item_self_assess(actor=as_actor(tree.world.office), item=item(assessment, "3.1"), self_score="5")
    services.assessment_submit(actor=as_actor(tree.world.office), assessment=assessment)
    services.assessment_finalise(actor=as_actor(tree.assessor), assessment=assessment)
    page = client_for(tree.assessor).get(url("ranking", assessment.rubric_id)).content.decode()
    assert "甲局党委" in page and "丙局党委" in page
    response = client_for(tree.p_office).get(url("ranking_xlsx", assessment.rubric_id))


    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("名次", "单位", "总分", "等次")
    assert rows[1][1:4] == ("甲局党委", 5, "不合格") and rows[1][-2] == 3  # open rectifications
    assert client_for(tree.world.office).get(url("ranking", assessment.rubric_id)).status_code == 404


def test_rectification_pages(tree, assessment, client_for):
    services.item_self_assess(actor=as_actor(tree.world.office), item=item(assessment, "3.1"), self_score="4")
    services.assessment_submit(actor=as_actor(tree.world.office), assessment=assessment)
    services.assessment_finalise(actor=as_actor(tree.assessor), assessment=assessment)
    rect = Rectification.objects.get(item__rubric_item__code="3.1")
    page = url("rectification", rect.pk)
    assert client_for(tree.sib_office).get(page).status_code == 404
    assert client_for(tree.assessor).post(page, {"action": "close", "note": "x"}).status_code == 403
    office = client_for(tree.world.office)
    assert "请填写整改说明" in office.post(page, {"action": "close", "note": ""}).content.decode() or \
        "这个字段是必填项" in office.post(page, {"action": "close", "note": ""}).content.decode()
    office.post(page, {"action": "close", "note": "已补齐"})
    rect.refresh_from_db()
    assert rect.state == Rectification.State.CLOSED
    assert office.post(page, {"action": "confirm"}).status_code == 403
    client_for(tree.assessor).post(page, {"action": "confirm"})
    rect.refresh_from_db()
    assert rect.state == Rectification.State.CONFIRMED


def test_overdue_rectifications_show_on_both_sides(tree, assessment, client_for):
    services.item_self_assess(actor=as_actor(tree.world.office), item=item(assessment, "3.1"), self_score="4")
    services.assessment_submit(actor=as_actor(tree.world.office), assessment=assessment)
    services.assessment_finalise(actor=as_actor(tree.assessor), assessment=assessment)
    Rectification.objects.filter(item__rubric_item__code="3.1").update(due_date=datetime.date(2021, 1, 1))
    mine = client_for(tree.world.office).get(url("mine")).content.decode()
    theirs = client_for(tree.assessor).get(url("rectifications")).content.decode()
    assert mine.count("已逾期") == 1 and theirs.count("已逾期") == 1
    ranking = client_for(tree.assessor).get(url("ranking", assessment.rubric_id)).content.decode()
    assert 'text-bg-danger">1</span>' in ranking


def test_grade_bands_are_set_on_a_draft_and_checked(tree, rubric, client_for):
    office = client_for(tree.p_office)
    office.post(url("bands", rubric.pk), {"excellent": "95", "good": "96", "passing": "60"})
    rubric.refresh_from_db()
    assert rubric.band_excellent == D(90)  # refused: 良好 above 优秀
    office.post(url("bands", rubric.pk), {"excellent": "95", "good": "85", "passing": "70"})
    rubric.refresh_from_db()
    assert (rubric.band_excellent, rubric.band_good, rubric.band_pass) == (D(95), D(85), D(70))
    assert client_for(tree.assessor).post(url("bands", rubric.pk), {"excellent": "50", "good": "40",
                                                                     "passing": "30"}).status_code == 403


def test_the_parent_sees_how_many_records_stood_behind_a_frozen_value(tree, assessment, client_for):
    f.CommitteeMeetingFactory(committee=tree.child, is_ideology=True)
    services.item_self_assess(actor=as_actor(tree.world.office), item=item(assessment, "3.1"), self_score="5")
    services.assessment_submit(actor=as_actor(tree.world.office), assessment=assessment)
    page = client_for(tree.assessor).get(url("detail", assessment.pk)).content.decode()
    assert "依据1条记录" in page
    # the list link is reached only by switching to the unit read-only (a form, not a plain link)
    assert 'class="evidence" href=' not in page and 'name="next"' in page


def test_a_reimport_preview_says_which_items_are_updated(tree, rubric, client_for):
    upload = SimpleUploadedFile("rubric.xlsx", workbook_bytes())
    page = client_for(tree.p_office).post(url("import"), {"year": 2020, "file": upload}).content.decode()
    # the fixture's rubric has 1.1, 1.2, 2.1 and 3.1; the sheet adds 1.3
    assert page.count('<td class="row-action">按编号更新</td>') == 4
    assert page.count('<td class="row-action">新增</td>') == 1
