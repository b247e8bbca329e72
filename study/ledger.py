"""The ledger sheets of 理论学习 (ledger-format.md), registered in ``apps.py``.
The 学习强国 sheet is also the whole of the 学习强国 upload page."""

from portal.ledger.columns import Bool, Choice, Date, Int, Month, Number, Rate, Ref, Text
from portal.ledger.org import BRANCHES, PERSONS
from portal.ledger.sheets import Sheet

from .models import MaterialHandout, StudyAppStat, StudySession

APPSTAT_SHEET = "学习强国"

SHEETS = (
    Sheet(
        "学习活动",
        130,
        StudySession,
        (
            Date("日期", "date", required=True, width=12),
            Choice("类别", "kind", StudySession.Kind, required=True, width=24),
            Text("主题", "theme", required=True, width=40),
            Bool("意识形态主题", "is_ideology", width=12),
            Ref("主持人", "host", PERSONS, width=12),
            Int("参加人数", "headcount", width=10),
            Ref("支部", "branch", BRANCHES, width=22),
        ),
        # Branches often study the same topic on the same day (issue 13).
        key=("date", "kind", "theme", "branch"),
        year_field="date",
    ),
    Sheet(
        APPSTAT_SHEET,
        140,
        StudyAppStat,
        (
            Month("月份", "month", required=True, width=10),
            Ref("支部", "branch", BRANCHES, width=22),
            Rate("活跃率", "activity_rate", required=True, width=10),
            Number("日人均积分", "avg_score", required=True, width=12),
        ),
        key=("month", "branch"),
        year_field="month",
    ),
    Sheet(
        "学习资料",
        150,
        MaterialHandout,
        (
            Date("日期", "date", required=True, width=12),
            Text("书名", "title", required=True, width=40),
            Choice("发放范围", "scope", MaterialHandout.Scope, required=True),
            Int("数量", "quantity", width=8),
        ),
        key=("date", "title"),
        year_field="date",
    ),
)
