"""The demo bureau's 2020 annual report: the staff text of reference/sample-report.txt.

Every figure of the report is computed from the other apps' demo records; only
the opening, 不足 and 下一步 are staff text. The office made it final (定稿), so
it says what it said then. Idempotent (get_or_create).
"""

from __future__ import annotations

import datetime

from .compiler import default_title
from .models import AnnualReport
from .services import report_finalise

YEAR = 2020

INTRO = (
    '2020年以来，××局党委按照省中心党委和水务局党组的部署要求，坚持党管意识形态不动摇，牢牢把握意识形态工作领导权，在推进高质量发展中，不断构建具有强大凝聚力和引领力的社会主义意识形态，全面落实意识形态工作责任制。现将有关情况报告如下。'
)

SHORTCOMINGS = (
    '一年来，我局意识形态工作取得了一定的成绩，但还存在着一些薄弱环节。主要是新闻稿件刊登数量不多、质量不高，对内对外宣传力度还需要进一步加大；宣传思想工作的方法、形式、途径还需要进一步探索；宣传思想工作的影响力、渗透力、战斗力还需要进一步提高。'
)

NEXT_STEPS = (
    '下一步我局将更加重视意识形态工作，投入更多的精力和时间，加强掌握党员干部职工思想动态，积极开展基层调研，开展谈心谈话，相互增进沟通了解，及时排忧解难；提高宣传意识形态工作者，加强学习，练好本领，提高新环境下辨别是非的能力；改进创新学习教育方式，继续加强理论学习，筹划开展外观参观活动，不断提高理论学习的效果，实现理论与实践相统一。增强单位的凝聚力和向心力，为推进××水文工作的发展发挥积极性作用。'
)


def seed(org) -> AnnualReport:
    """The report, made final (定稿) by the office once every app's records are in."""
    report, created = AnnualReport.objects.get_or_create(
        committee=org.committee,
        year=YEAR,
        defaults={
            "title": default_title(org.committee),
            "intro": INTRO,
            "shortcomings": SHORTCOMINGS,
            "next_steps": NEXT_STEPS,
            "issued_on": datetime.date(YEAR, 12, 28),
            "created_by": org.office_user,
        },
    )
    if created:
        report_finalise(report=report, user=org.office_user)
        report.refresh_from_db()
    return report
