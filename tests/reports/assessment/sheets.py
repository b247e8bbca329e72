"""考核细则 workbooks for the tests, written as an office would."""

import io

from openpyxl import Workbook

HEADER = ["编号*", "一级指标*", "考核内容*", "分值*", "评分方式*", "指标", "目标值", "计分办法"]
ROWS = [
    ["1.1", "组织领导", "党委专题研究意识形态工作", 10, "自动", "ideology_meetings", 2, "每缺一次扣5分"],
    ["1.2", "组织领导", "签订意识形态工作责任书", 20, "自动", "letters_signed_ratio", "100%", "按比例"],
    ["1.3", "组织领导", "思想动态分析", 20, "自动", "analyses_done_ratio", 1, "按比例"],
    ["2.1", "理论学习", "中心组学习每年不少于12次", 25, "自动", "central_group_sessions", 12, "达标得分"],
    ["3.1", "舆论引导", "宣传阵地管理", 25, "人工", None, None, None],
]


def workbook_bytes(rows=ROWS, header=HEADER, title="考核细则") -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = title
    worksheet.append(header)
    for row in rows:
        worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write(tmp_path, rows=ROWS, **kwargs):
    path = tmp_path / "rubric.xlsx"
    path.write_bytes(workbook_bytes(rows, **kwargs))
    return path
