"""Bytes from plain contexts (selectors gather, these render): the unit's score
sheet and the ranking as xlsx; the ranking PDF lives in ``pdf.py``. Text cells
go through the ledger's ``text_cell`` so nothing a unit typed runs as a formula."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook

from portal.ledger.columns import text_cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(worksheet, value):
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (int, float)):
        return value
    return text_cell(worksheet, str(value))


def _workbook(title: str, header: list[str], rows: list[list], widths: list[int]) -> bytes:
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title)
    for index, width in enumerate(widths):
        worksheet.column_dimensions[chr(ord("A") + index)].width = width
    worksheet.append(header)
    for row in rows:
        worksheet.append([_cell(worksheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def score_sheet_xlsx(context: dict) -> tuple[str, str, bytes]:
    assessment = context["assessment"]
    rows = [[r["code"], r["category"], r["content"], r["points"], r["value"], r["score"], r["notes"]]
            for r in context["rows"]]
    rows.append(["合计", "", "", context["points"], None, context["total"], ""])
    content = _workbook("考核得分", ["编号", "一级指标", "考核内容", "分值", "指标值", "得分", "说明"], rows,
                        [8, 14, 50, 8, 10, 8, 50])
    name = f"{assessment.committee.slug}-{assessment.rubric.year}-assessment.xlsx"
    return name, XLSX, content


def ranking_xlsx(context: dict) -> tuple[str, str, bytes]:
    categories = context["categories"]
    header = ["名次", "单位", "总分", "等次", *categories, "状态", "未完成整改", "逾期整改"]
    rows = [
        [row["rank"], row["name"], row["total"], row["grade"], *[row["subtotals"].get(c) for c in categories],
         row["state"], row["open"], row["overdue"]]
        for row in context["rows"]
    ]
    content = _workbook("考核排名", header, rows, [6, 24, 8, 8, *[12] * len(categories), 10, 12, 10])
    return f"{context['rubric'].committee.slug}-{context['rubric'].year}-ranking.xlsx", XLSX, content


PDF = "application/pdf"
RANKING_KIND = "assessment.ranking"


def ranking_title(rubric) -> str:
    return f"{rubric.committee.name}{rubric.year}年度意识形态工作责任制考核结果"


def ranking_html(context: dict, stamp=None) -> str:
    from django.template.loader import render_to_string
    from django.utils import timezone, translation

    from reports.renderers import LANGUAGE, TIME_ZONE, print_styles

    with translation.override(LANGUAGE), timezone.override(TIME_ZONE):
        return render_to_string("assessment/ranking_pdf.html", {
            "r": context, "styles": print_styles(), "stamp": stamp, "title": ranking_title(context["rubric"]),
            "when": timezone.localtime().strftime("%Y年%m月%d日"),
        })


def ranking_pdf(context: dict, *, issued_by: str) -> tuple[str, str, bytes]:
    """The ranking in the report's official layout, sealed and registered (``verify_pdf`` accepts it);
    an earlier ranking file of the rubric is marked no longer current."""
    from portal.pdf import render_pdf
    from portal.seal.issuing import issue_pdf, issued_supersede

    rubric = context["rubric"]
    document, pdf = issue_pdf(
        kind=RANKING_KIND, obj=rubric, version=str(sum(r["total"] or 0 for r in context["rows"])),
        description=ranking_title(rubric), committee=rubric.committee, issued_by=issued_by,
        render=lambda stamp: render_pdf(ranking_html(context, stamp)),
    )
    issued_supersede(kind=RANKING_KIND, object_id=rubric.pk, reason="已生成新的考核结果文件", keep=document)
    return f"{rubric.committee.slug}-{rubric.year}-ranking.pdf", PDF, pdf
