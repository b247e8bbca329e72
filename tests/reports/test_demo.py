"""The demo bureau's 2020 report reproduces every figure of the sample report."""

import pytest
from django.core.management import call_command

from portal.models import Committee
from reports import renderers
from reports.models import AnnualReport
from reports.selectors import report_context, report_of_year

from .conftest import pdf_text, squash

SAMPLE_FIGURES = [
    "党委专题研究了2次意识形态工作",
    "局党委班子成员共开展了81次交心谈心",
    "全年共开展了11次党委理论学习中心组学习，其中6月份召开了以“意识形态”为主题的党委理论学习中心组学习",
    "我局学员活跃率长期保持在100%，日人均分基本达到45分以上",
    "在省部级及以上媒体上发布9篇文章",
    "发布了3期《形势分析报告》",
]
SAMPLE_NAMES = [
    "《习近平谈治国理政（第三卷）》",
    "《光辉的历程》",
    "宪法宣传周",
    "湖北省博物馆",
    "七夕",
    "中秋",
    "重阳",
    "后疫情",
    "2020年以来",
    "一年来，我局意识形态工作取得了一定的成绩",
    "下一步我局将更加重视意识形态工作",
]


@pytest.mark.django_db
def test_demo_2020_report_reproduces_the_sample():
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    committee = Committee.objects.get(slug="demo")
    assert AnnualReport.objects.filter(committee=committee, year=2020).count() == 1
    ctx = report_context(committee, 2020, report_of_year(committee, 2020))
    html = squash(renderers.render_html_document(ctx))
    missing = [s for s in SAMPLE_FIGURES + SAMPLE_NAMES if s not in html]
    assert not missing, missing
    text = pdf_text(renderers.render_pdf_bytes(renderers.render_html_document(ctx)))
    assert [s for s in SAMPLE_FIGURES if s not in text] == []
