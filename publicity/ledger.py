"""The ledger sheets of 舆论宣传 (ledger-format.md), registered in ``apps.py``.

内部刊物 rows are keyed by 刊物名称 + 期号 within the year of 日期 (issues are
numbered per year, so 第1期 of 2021 is not 第1期 of 2020).

宣传阵地's 最近检查日期 adds a supervision check on that date unless the
channel already has one that day; the export writes the latest check."""

from portal.ledger.columns import Choice, Date, Int, Ref, Text, Year
from portal.ledger.org import PERSONS
from portal.ledger.sheets import Sheet

from .models import Activity, Article, Channel, ChannelCheck, InternalBulletin, RoleModel


class IssueDate(Date):
    """日期 of a bulletin issue: part of the key by its year only."""

    def key(self, value):
        return value.year if value else None


class LastCheck(Date):
    """最近检查日期: the channel's checks (a date set) as its latest date."""

    def prefetch(self, objects):
        result: dict[int, set] = {}
        for channel_id, date in ChannelCheck.objects.filter(channel__in=objects).values_list("channel_id", "date"):
            result.setdefault(channel_id, set()).add(date)
        return result

    def stored(self, obj, names, extra):
        return frozenset(extra.get(obj.pk, ()))

    def same(self, value, stored):
        return value is None or value in stored

    def assign(self, obj, value, writer):
        return ()  # a check is a record of its own, added by save()

    def save(self, writer, rows):
        dated = [row for row in rows if row.values.get(self.field)]
        existing = set(
            ChannelCheck.objects.filter(channel__in=[r.obj for r in dated]).values_list("channel_id", "date")
        )
        checks = [
            ChannelCheck(committee=writer.committee, channel=row.obj, date=row.values[self.field], created_by=writer.user)
            for row in dated
            if (row.obj.pk, row.values[self.field]) not in existing
        ]
        writer.create(ChannelCheck, checks)

    def export(self, value):
        return max(value, default=None)


SHEETS = (
    Sheet(
        "宣传稿件",
        160,
        Article,
        (
            Date("日期", "date", required=True, width=12),
            Text("标题", "title", required=True, width=50),
            Text("媒体", "outlet", required=True, width=24),
            Choice("媒体级别", "level", Article.Level, required=True, width=10),
            Text("作者", "author", width=14),
        ),
        key=("date", "title"),
        year_field="date",
    ),
    Sheet(
        "内部刊物",
        170,
        InternalBulletin,
        (
            IssueDate("日期", "date", required=True, width=12),
            Text("刊物名称", "series", required=True, width=24),
            Text("期号", "issue_no", required=True, width=10),
            Text("标题", "title", width=40),
        ),
        key=("series", "issue_no", "date"),
        year_field="date",
    ),
    Sheet(
        "宣传阵地",
        180,
        Channel,
        (
            Choice("类型", "kind", Channel.Kind, required=True, width=10),
            Text("名称", "name", required=True, width=24),
            Text("位置或平台", "location", width=30),
            Text("管理员", "admin", width=12),
            LastCheck("最近检查日期", "last_check", width=14),
        ),
        key=("kind", "name"),
    ),
    Sheet(
        "先进典型",
        190,
        RoleModel,
        (
            Year("年度", "year", required=True, width=8),
            Ref("姓名", "person", PERSONS, required=True, width=12),
            Text("称号", "honour", required=True, width=30),
            Text("事迹", "story", width=50),
        ),
        key=("year", "person", "honour"),
        year_field="year",
    ),
    Sheet(
        "活动",
        200,
        Activity,
        (
            Date("日期", "date", required=True, width=12),
            Choice("类别", "kind", Activity.Kind, required=True, width=14),
            Text("名称", "title", required=True, width=40),
            Text("地点", "place", width=24),
            Int("参加人数", "participants", width=10),
            Text("简述", "description", width=50),
        ),
        key=("date", "title"),
        year_field="date",
    ),
)
