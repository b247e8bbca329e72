"""The demo's annual assessment (seed_demo, after the hierarchy's seeder): the
province's published 2020 rubric of 20 items, the demo bureau's assessment
submitted and partly reviewed, city-b's finalised with two rectifications, one
closed and one overdue. Skipped politely while the hierarchy (committee
``province`` over ``demo``) is not seeded; running it again changes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

from portal.access import actor_for
from portal.models import Committee, Person, Role

from . import services
from .models import Assessment, Rectification, Rubric

YEAR = 2020
PARENT, CLOSED_AND_OVERDUE = "province", "city-b"
A, M = "auto", "manual"
# code, category, content, points, method, indicator, target, scoring, deduct per missing one
ITEMS = [
    ("1.1", "组织领导", "党委专题研究意识形态工作每年不少于2次", 5, A, "ideology_meetings", 2, "deduct", 2.5),
    ("1.2", "组织领导", "与各党支部签订意识形态工作责任书", 5, A, "letters_signed_ratio", 100, "ratio", None),
    ("1.3", "组织领导", "班子成员开展交心谈心", 5, A, "committee_talks", 20, "ratio", None),
    ("1.4", "组织领导", "每季度开展思想动态分析", 5, A, "analyses_done_ratio", 100, "ratio", None),
    ("1.5", "组织领导", "意识形态工作任务按月销号", 5, A, "ideology_tasks_done_ratio", 100, "ratio", None),
    ("1.6", "组织领导", "开展意识形态工作督导检查", 5, A, "inspections", 2, "deduct", 2.5),
    ("1.7", "组织领导", "制定工作方案、责任清单等工作文件", 5, A, "work_documents", 2, "threshold", None),
    ("1.8", "组织领导", "意识形态工作纳入班子成员述职述廉", 5, M, "", None, "", None),
    ("2.1", "理论学习", "党委理论学习中心组学习每年不少于12次", 5, A, "central_group_sessions", 12, "deduct", 1),
    ("2.2", "理论学习", "中心组学习每个季度原则上不少于1次", 5, A, "central_group_quarters", 4, "deduct", 1.5),
    ("2.3", "理论学习", "开展以意识形态为主题的中心组学习", 5, A, "central_group_ideology_sessions", 1, "threshold", None),
    ("2.4", "理论学习", "“学习强国”月活跃率", 5, A, "app_active_rate_min", 90, "ratio", None),
    ("2.5", "理论学习", "“学习强国”日人均积分", 5, A, "app_daily_score_mean", 40, "ratio", None),
    ("3.1", "舆论引导", "在省部级及以上媒体发稿", 5, A, "articles_provincial_plus", 6, "ratio", None),
    ("3.2", "舆论引导", "编发内部刊物", 5, A, "bulletin_issues", 3, "deduct", 1),
    ("3.3", "舆论引导", "宣传栏、微信群等阵地管理", 5, M, "", None, "", None),
    ("3.4", "舆论引导", "网络舆情处置", 5, M, "", None, "", None),
    ("4.1", "丰富活动", "开展主题宣传和特色活动", 5, A, "activities", 6, "ratio", None),
    ("4.2", "丰富活动", "选树宣传先进典型", 5, M, "", None, "", None),
    ("4.3", "丰富活动", "意识形态工作创新做法", 5, M, "", None, "", None),
]
SELF_SCORES = {"1.8": ("5", "年度述职述廉报告均包含意识形态工作内容。"),
               "3.3": ("4.5", "宣传栏、QQ群、微信群、公众号均有专人管理，每季度检查。"),
               "3.4": ("5", "全年未发生网络舆情事件，有处置预案。"),
               "4.2": ("5", "选树先进典型3名，制作宣传视频。"),
               "4.3": ("4", "开展“七夕”“中秋”“重阳”传统节日活动。")}


def rows() -> list[dict]:
    fields = ("code", "category", "content", "points", "method", "indicator", "target", "scoring", "deduct_per")
    result = []
    for item in ITEMS:
        row = dict(zip(fields, item))
        for name in ("points", "target", "deduct_per"):
            row[name] = None if row[name] is None else Decimal(str(row[name]))
        result.append(row)
    return result


def _actor(committee: Committee, role: str):
    person = Person.objects.filter(committee=committee, role=role, user__isnull=False).order_by("pk").first()
    return actor_for(person.user) if person is not None else None


def seed(org) -> Rubric | None:
    parent = Committee.objects.filter(slug=PARENT).first()
    # Read from the database: the hierarchy's seeder has just set the bureau's parent.
    if parent is None or not Committee.objects.filter(pk=org.committee.pk, parent=parent).exists():
        return None  # the hierarchy is not seeded: nothing to assess
    org.committee.refresh_from_db(fields=["parent"])
    existing = Rubric.objects.filter(committee=parent, year=YEAR).first()
    if existing is not None:
        return existing
    office, assessor = _actor(parent, Role.OFFICE), _actor(parent, Role.ASSESSOR)
    rubric = services.rubric_import(actor=None, committee=parent, year=YEAR, rows=rows())
    services.rubric_publish(actor=office, rubric=rubric)
    demo = self_assess(rubric, org.committee)
    if demo is not None and assessor is not None:
        items = demo.items.select_related("rubric_item").order_by("rubric_item__order")
        services.item_review(actor=assessor, item=items[0], accept=True)
        services.item_review(actor=assessor, item=items[1], accept=True)
        services.item_review(actor=assessor, item=items.get(rubric_item__code="4.3"), accept=False, score="3",
                             reason="创新做法材料仅有活动照片，缺少总结。")
    city_b = Committee.objects.filter(slug=CLOSED_AND_OVERDUE, parent=parent).first()
    if city_b is not None and assessor is not None:
        finalise_with_two_rectifications(rubric, city_b, assessor)
    rubric.refresh_from_db()
    return rubric


def self_assess(rubric: Rubric, committee: Committee) -> Assessment | None:
    office = _actor(committee, Role.OFFICE)
    assessment = rubric.assessments.filter(committee=committee).first()
    if office is None or assessment is None:
        return None
    for item in assessment.items.select_related("rubric_item").filter(rubric_item__method=M):
        score, why = SELF_SCORES[item.rubric_item.code]
        services.item_self_assess(actor=office, item=item, self_score=score, explanation=why)
    return services.assessment_submit(actor=office, assessment=assessment)


def finalise_with_two_rectifications(rubric: Rubric, committee: Committee, assessor) -> None:
    """Two deductions stay (the others were made good with evidence at the review); one
    rectification is closed by the unit, the other is past its due date."""
    assessment = self_assess(rubric, committee)
    if assessment is None:
        return
    short = [i for i in assessment.items.select_related("rubric_item").order_by("rubric_item__order")
             if i.score < i.rubric_item.points]
    kept = short[:2]
    for item in short[2:]:
        services.item_review(actor=assessor, item=item, accept=False, score=str(item.rubric_item.points),
                             reason="现场核查时补充了佐证材料，予以认定。")
    for item in kept:
        services.item_review(actor=assessor, item=item, accept=True)
    services.assessment_finalise(actor=assessor, assessment=assessment, due_date=datetime.date.today())
    rects = list(Rectification.objects.filter(item__assessment=assessment).order_by("item__rubric_item__order"))
    if rects:
        office = _actor(committee, Role.OFFICE)
        services.rectification_close(actor=office, rectification=rects[0],
                                     note="已补开专题会议并报送会议纪要。")
    # The demo year is 2020: the open one was due at the end of its first quarter after.
    Rectification.objects.filter(pk__in=[r.pk for r in rects[1:]]).update(due_date=datetime.date(YEAR + 1, 3, 31))


