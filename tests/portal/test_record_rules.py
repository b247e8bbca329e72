"""Issue 13 item 1: one set of rules for a record, wherever it comes from.

Each rule is attacked the three ways a user could: the record form, a ledger
workbook and the admin. Every path refuses the impossible record in Chinese at
the field (forms) or at sheet/row/column (the workbook) and writes nothing;
every path accepts the same record once it is possible."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.ledger.importer import ledger_import
from portal.registry import RECORD_TYPES
from tests import factories as f

from .rules_helpers import admin_data, form_data, ledger_file

pytestmark = pytest.mark.django_db
d = datetime.date
FUTURE = "future"  # replaced by a day after today when the test runs
FUTURE_DAYS = 3


@dataclass(frozen=True)
class Case:
    key: str  # the record type
    sheet: str
    good: dict
    bad: dict
    field: str  # where a form and the admin put the error
    column: str  # where the workbook's error is
    message: str
    import_message: str = ""  # when the cell itself is refused first, in the ledger's words
    id: str = field(default="", compare=False)

    def record(self, broken: bool) -> dict:
        future = timezone.localdate() + datetime.timedelta(days=FUTURE_DAYS)
        values = {**self.good, **(self.bad if broken else {})}
        return {name: future if value == FUTURE else value for name, value in values.items()}


TALK = {"date": d(2020, 6, 1), "talker": "leader", "talkee": "sec_a", "kind": "谈心"}
MEETING = {"date": d(2020, 3, 5), "title": "党委会", "is_ideology": True}
TASK = {"month": d(2020, 12, 1), "task": "组织学习", "branch": "第一党支部", "is_ideology": True, "done_on": d(2020, 12, 20)}
ANALYSIS = {"branch": "第一党支部", "year": 2021, "quarter": 1, "date": d(2021, 3, 20), "topic": "分析", "is_special_survey": False}
SESSION = {"date": d(2020, 6, 1), "kind": "party_day", "branch": "第一党支部", "theme": "主题党日", "headcount": 12}
ARTICLE = {"date": d(2020, 7, 1), "title": "稿件", "outlet": "中国水利报", "level": "provincial"}
ACTIVITY = {"date": d(2020, 9, 1), "kind": "festival", "title": "中秋活动", "participants": 30}
HANDOUT = {"date": d(2020, 4, 23), "title": "《学习读本》", "scope": "member", "quantity": 50}
APPSTAT = {"month": d(2020, 6, 1), "activity_rate": Decimal("98"), "avg_score": Decimal("45.5")}
ROLE_MODEL = {"year": 2020, "person": "sec_a", "honour": "优秀党员"}

CASES = [
    Case("responsibility.talk", "谈心谈话", TALK, {"talkee": "leader"}, "talkee", "谈话对象", "谈话人和谈话对象不能是同一人", id="talk-with-oneself"),
    Case("responsibility.talk", "谈心谈话", TALK, {"date": FUTURE}, "date", "日期", "日期不能晚于今天", id="talk-in-the-future"),
    Case("responsibility.meeting", "党委会议", MEETING, {"date": d(1999, 12, 31)}, "date", "日期", "日期不能早于 2000 年", id="meeting-before-2000"),
    Case("responsibility.meeting", "党委会议", MEETING, {"date": FUTURE}, "date", "日期", "日期不能晚于今天", id="meeting-in-the-future"),
    Case("responsibility.task", "月销单", TASK, {"done_on": d(2019, 1, 1)}, "done_on", "完成日期", "完成日期不能早于任务所在月份（2020年12月）", id="task-done-before-its-month"),
    Case("responsibility.task", "月销单", TASK, {"done_on": FUTURE}, "done_on", "完成日期", "完成日期不能晚于今天", id="task-done-in-the-future"),
    Case("responsibility.analysis", "思想动态分析", ANALYSIS, {"date": d(2020, 5, 1)}, "date", "日期", "日期应在2021年第1季度内或季度结束后 60 天内", id="analysis-before-its-quarter"),
    Case("responsibility.analysis", "思想动态分析", ANALYSIS, {"date": d(2021, 6, 1)}, "date", "日期", "日期应在2021年第1季度内或季度结束后 60 天内", id="analysis-long-after-its-quarter"),
    Case("responsibility.analysis", "思想动态分析", ANALYSIS, {"is_special_survey": True}, "survey_topic", "专题调研", "专题调研请填写调研专题", id="survey-without-topic"),
    Case("study.session", "学习活动", SESSION, {"date": FUTURE}, "date", "日期", "日期不能晚于今天", id="session-in-the-future"),
    Case("study.session", "学习活动", SESSION, {"headcount": 0}, "headcount", "参加人数", "应至少为 1", id="session-nobody-attended"),
    Case("study.session", "学习活动", SESSION, {"kind": "central_group"}, "branch", "支部", "党委理论学习中心组学习属于党委层面", id="central-group-of-a-branch"),
    Case("study.handout", "学习资料", HANDOUT, {"quantity": 0}, "quantity", "数量", "应至少为 1", id="handout-of-nothing"),
    Case("study.appstat", "学习强国", APPSTAT, {"activity_rate": Decimal("100.5")}, "activity_rate", "活跃率", "活跃率应在 0 到 100 之间", "活跃率应在 0–100% 之间", id="rate-above-100"),
    Case("publicity.article", "宣传稿件", ARTICLE, {"date": FUTURE}, "date", "日期", "日期不能晚于今天", id="article-in-the-future"),
    Case("publicity.activity", "活动", ACTIVITY, {"participants": 0}, "participants", "参加人数", "应至少为 1", id="activity-nobody-attended"),
    Case("publicity.activity", "活动", ACTIVITY, {"date": d(1998, 1, 1)}, "date", "日期", "日期不能早于 2000 年", id="activity-before-2000"),
    Case("publicity.rolemodel", "先进典型", ROLE_MODEL, {"year": 1999}, "year", "年度", "年度应在 2000 到 2100 之间", "应在 2000–2100 之间", id="role-model-before-2000"),
]


def count(case: Case, world) -> int:
    return RECORD_TYPES[case.key].model.objects.filter(committee=world.committee).count()


@pytest.fixture
def root(world, client_for):
    user = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    f.PersonFactory(committee=world.committee, name="管理员", role="office", user=user, branch=world.branch)
    return client_for(user)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_the_form_refuses_at_the_field_and_accepts_the_fixed_record(case, world, client_for):
    rt = RECORD_TYPES[case.key]
    client = client_for(world.office)
    response = client.post(rt.url("create"), form_data(rt, case.record(broken=True), world.committee))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [case.field] and case.message in errors[case.field][0]
    assert count(case, world) == 0
    response = client.post(rt.url("create"), form_data(rt, case.record(broken=False), world.committee))
    assert response.status_code == 302, response.context["form"].errors
    assert count(case, world) == 1


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_the_workbook_is_refused_at_sheet_row_column_and_accepted_once_fixed(case, world):
    result = ledger_import(committee_slug="alpha", file=ledger_file(case.sheet, case.record(broken=True)), dry_run=False)
    assert not result.applied
    [error] = result.errors
    assert (error.sheet, error.row, error.column) == (case.sheet, 2, case.column)
    assert (case.import_message or case.message) in error.reason
    assert count(case, world) == 0
    result = ledger_import(committee_slug="alpha", file=ledger_file(case.sheet, case.record(broken=False)), dry_run=False)
    assert result.applied, [str(e) for e in result.errors]
    assert count(case, world) == 1


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_the_admin_refuses_at_the_field_and_accepts_the_fixed_record(case, world, root):
    model = RECORD_TYPES[case.key].model
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    response = root.post(url, admin_data(model, case.record(broken=True), world.committee))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [case.field] and case.message in errors[case.field][0]
    assert count(case, world) == 0
    response = root.post(url, admin_data(model, case.record(broken=False), world.committee))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert count(case, world) == 1


def test_appstat_upload_applies_the_same_rules(world, client_for, django_capture_on_commit_callbacks):
    """The 学习强国 upload is the ledger engine on one sheet: the same refusal, on its page."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.ledger.helpers import post_and_run

    case = next(c for c in CASES if c.id == "rate-above-100")
    upload = SimpleUploadedFile("学习强国.xlsx", ledger_file(case.sheet, case.record(broken=True)).getvalue())
    response = post_and_run(client_for(world.office), django_capture_on_commit_callbacks, reverse("study:appstat_upload"), {"file": upload})
    result = response.context["result"]
    assert not result["ok"] and [(e["sheet"], e["row"], e["column"]) for e in result["errors"]] == [("学习强国", 2, "活跃率")]
    assert "学习强国 第2行 活跃率：活跃率应在 0–100% 之间" in response.content.decode()
    assert count(case, world) == 0


def test_inspected_branches_belong_to_the_committee(world, root, client_for):
    """The admin offers every committee's branches; the record refuses another's.
    The form offers only the committee's, the workbook names only the committee's."""
    from responsibility.models import Inspection

    url = reverse("admin:responsibility_inspection_add")
    data = {"committee": world.committee.pk, "date": "2020-05-06", "form": "check", "branches": [world.other_committee_branch.pk]}
    response = root.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["branches"] == ["督导对象只能是本党委的支部。"]
    assert root.post(url, {**data, "branches": [world.branch.pk]}).status_code == 302

    form_url = reverse("responsibility:inspection_create")
    response = client_for(world.office).post(form_url, {**data, "branches": [world.other_committee_branch.pk]})
    assert "branches" in response.context["form"].errors
    sheet = {"督导检查": [["日期", "方式", "对象"], ["2020-05-07", "专项检查", world.other_committee_branch.name]]}
    from tests.ledger.helpers import xlsx

    result = ledger_import(committee_slug="alpha", file=xlsx(sheet), dry_run=False)
    assert [(e.row, e.column) for e in result.errors] == [(2, "对象")] and not result.applied
    assert list(Inspection.objects.values_list("branches", flat=True)) == [world.branch.pk]


def test_a_task_of_a_month_to_come_cannot_be_ticked_off(world, client_for):
    from responsibility.models import MonthlyTask

    next_month = (timezone.localdate().replace(day=28) + datetime.timedelta(days=5)).replace(day=1)
    task = f.MonthlyTaskFactory(committee=world.committee, month=next_month, branch=world.branch, done_on=None)
    response = client_for(world.office).post(reverse("responsibility:task_done", args=[task.pk]), follow=True)
    assert "完成日期不能早于任务所在月份" in response.content.decode()
    assert MonthlyTask.objects.get(pk=task.pk).done_on is None


def test_history_restore_refuses_a_version_the_rules_refuse(world, client_for):
    """A version saved before the rules (a talk with oneself) does not come back."""
    from responsibility.models import Talk

    talk = f.TalkFactory(committee=world.committee, talker=world.leader.person, talkee=world.leader.person)
    old = talk.history.latest().history_id
    Talk.objects.filter(pk=talk.pk).update(talkee=world.office.person)  # corrected, outside history
    talk.talkee = world.office.person
    talk.save()
    url = reverse("responsibility:talk_history_restore", args=[talk.pk, old])
    response = client_for(world.office).post(url, follow=True)
    assert "谈话人和谈话对象不能是同一人" in response.content.decode()
    assert Talk.objects.get(pk=talk.pk).talkee == world.office.person


class TestBulletinIssues:
    """期号 is unique within a series and a year, on every path, in Chinese."""

    def post(self, client, **extra):
        data = {"series": "《形势分析报告》", "issue_no": "第1期", "date": "2020-04-30", "title": "形势分析"}
        return client.post(reverse("publicity:bulletin_create"), {**data, **extra})

    def test_form(self, world, client_for):
        from publicity.models import InternalBulletin

        c = client_for(world.office)
        assert self.post(c).status_code == 302
        response = self.post(c, date="2020-11-30", title="另一期")
        assert "2020年的《形势分析报告》 第1期 已存在" in response.context["form"].errors["issue_no"][0]
        assert self.post(c, date="2021-01-30").status_code == 302  # numbering starts again each year
        assert InternalBulletin.objects.count() == 2

    def test_import(self, world):
        from publicity.models import InternalBulletin
        from tests.ledger.helpers import xlsx

        header = ["日期", "刊物名称", "期号", "标题"]
        rows = [header, ["2020-04-30", "《形势分析报告》", "第1期", "一"], ["2020-11-30", "《形势分析报告》", "第1期", "二"]]
        result = ledger_import(committee_slug="alpha", file=xlsx({"内部刊物": rows}), dry_run=False)
        assert [(e.row, e.column) for e in result.errors] == [(3, "刊物名称、期号、日期")]
        assert "与第2行重复" in result.errors[0].reason and not InternalBulletin.objects.exists()
        rows[2][0] = "2021-01-30"
        result = ledger_import(committee_slug="alpha", file=xlsx({"内部刊物": rows}), dry_run=False)
        assert result.applied and InternalBulletin.objects.count() == 2
        # The same issue again in its year is that issue, updated, never a second row.
        rows[1][3] = "一（更正）"
        result = ledger_import(committee_slug="alpha", file=xlsx({"内部刊物": rows}), dry_run=False)
        assert [(s.create, s.update, s.unchanged) for s in result.sheets] == [(0, 1, 1)]

    def test_admin(self, world, root):
        f.InternalBulletinFactory(committee=world.committee, series="《形势分析报告》", issue_no="第1期", date=d(2020, 4, 30))
        data = {"committee": world.committee.pk, "series": "《形势分析报告》", "issue_no": "第1期", "date": "2020-10-01"}
        response = root.post(reverse("admin:publicity_internalbulletin_add"), data)
        assert response.status_code == 200
        assert "该刊物本年度已有相同期号" in response.context["adminform"].form.errors["issue_no"][0]
        assert root.post(reverse("admin:publicity_internalbulletin_add"), {**data, "date": "2021-10-01"}).status_code == 302


def test_a_second_live_letter_for_a_branch_and_year_is_refused_in_chinese(world, client_for):
    from responsibility.models import ResponsibilityLetter
    from tests.ledger.helpers import xlsx

    f.ResponsibilityLetterFactory(committee=world.committee, branch=world.branch, year=2020)
    response = client_for(world.office).post(reverse("responsibility:letter_create"), {"branch": world.branch.pk, "year": 2020})
    assert "该支部本年度已有有效的责任书" in str(response.context["form"].errors)
    header = ["年度", "支部", "标题"]
    rows = [header, [2021, world.branch.name, "责任书"], [2021, world.branch.name, "责任书（又一份）"]]
    result = ledger_import(committee_slug="alpha", file=xlsx({"责任书": rows}), dry_run=False)
    assert [(e.row, e.column) for e in result.errors] == [(3, "年度、支部")] and "重复" in result.errors[0].reason
    assert ResponsibilityLetter.objects.count() == 1
