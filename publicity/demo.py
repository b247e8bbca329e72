"""The demo bureau's 2020 publicity and activity records (sections 3 and 4 of
the sample report). Idempotent: rows are looked up by their natural keys."""

from __future__ import annotations

import datetime

from .models import Activity, Article, Channel, ChannelCheck, InternalBulletin, RoleModel

YEAR = 2020
L = Article.Level
A = Activity.Kind


def d(month: int, day: int) -> datetime.date:
    return datetime.date(YEAR, month, day)


# "在省部级及以上媒体上发布9篇文章": 2 中央级 + 7 省部级, plus lower levels.
ARTICLES = [
    (d(2, 18), "××水文人坚守一线战疫情保监测", "中国水利报", L.CENTRAL, "郑华"),
    (d(7, 22), "××水文全力迎战长江流域性大洪水", "中国水利网", L.CENTRAL, "钱程"),
    (d(3, 12), "××水文局党员干部下沉社区抗疫", "湖北日报", L.PROVINCIAL, "郑华"),
    (d(4, 9), "××水文多措并举推进复工复产", "湖北水利网", L.PROVINCIAL, "冯洁"),
    (d(5, 27), "××水文开展水资源监测专项行动", "湖北水利网", L.PROVINCIAL, "何平"),
    (d(6, 30), "××水文局党委扎实推进党建与业务融合", "湖北省水文水资源中心网站", L.PROVINCIAL, "赵敏"),
    (d(7, 10), "防汛一线党旗红", "湖北日报", L.PROVINCIAL, "钱程"),
    (d(8, 14), "××水文站连续测洪四十天纪实", "湖北水利网", L.PROVINCIAL, "杨帆"),
    (d(11, 25), "××水文局掀起学习十九届五中全会精神热潮", "湖北省水文水资源中心网站", L.PROVINCIAL, "赵敏"),
    (d(1, 15), "××水文局召开2020年工作会议", "××日报", L.CITY, "郑华"),
    (d(7, 28), "水文人在汛期", "××日报", L.CITY, "许静"),
    (d(9, 16), "××水文站开展节水宣传进社区", "××电视台", L.CITY, "朱琳"),
    (d(10, 20), "××水位站站长秦峰：守好每一个水位", "××区融媒体中心", L.COUNTY, "曹雪"),
    (d(12, 8), "局机关开展“宪法宣传周”活动", "局门户网站", L.INTERNAL, "赵敏"),
    (d(12, 28), "2020年度党建工作回顾", "局门户网站", L.INTERNAL, "赵敏"),
]

BULLETIN_SERIES = "《形势分析报告》"
BULLETINS = [
    (d(4, 30), "2020年第1期", "疫情防控常态化下的职工思想动态"),
    (d(8, 31), "2020年第2期", "防汛抗洪期间的舆情与职工思想动态"),
    (d(12, 15), "2020年第3期", "“后疫情”时期党员干部思想动态专题分析"),
]

BOARD_THEMES = "基层党建、社会主义核心价值观、廉政法治文化、党风廉政建设、爱国卫生运动"

# (kind, name, location, admin, themes)
CHANNELS = [
    (Channel.Kind.BOARD, "办公大楼一层宣传栏", "办公大楼一层", "赵敏", BOARD_THEMES),
    (Channel.Kind.QQ, "××水文工作QQ群", "QQ", "郑华", ""),
    (Channel.Kind.WECHAT, "××水文工作微信群", "微信", "郑华", ""),
]
CHECK_DATES = [d(3, 31), d(6, 30), d(9, 30), d(12, 25)]
CHECK_FINDINGS = {
    Channel.Kind.BOARD: "宣传栏内容按季度更新，主题鲜明，无过期内容。",
    Channel.Kind.QQ: "群内信息健康，未发现转发不实信息和负面言论。",
    Channel.Kind.WECHAT: "群内信息健康，提醒成员不传播未经核实的疫情信息。",
}

ROLE_MODEL = (
    "杨帆",
    "勤廉兼优",
    "扎根基层测站，防汛期间坚守一线四十余天，廉洁自律、勤勉敬业。局里以其事迹拍摄了××水文抗疫小视频。",
)

ACTIVITIES = [
    (d(2, 28), A.OTHER, "××水文抗疫小视频", "局机关及各测站", 12, "拍摄××水文抗疫小视频，以身边榜样弘扬社会主义核心价值观。"),
    (d(12, 4), A.CONSTITUTION_WEEK, "“宪法宣传周”活动", "局机关会议室", 45, "学习宪法、习近平总书记关于宪法的重要论述，弘扬宪法精神。"),
    (d(9, 24), A.PARTY_BUILDING, "参观湖北省博物馆", "湖北省博物馆", 30, "组织党员参观湖北省博物馆，丰富党内活动。"),
    (d(11, 6), A.PARTY_BUILDING, "参观鄂州市峒山社区干部教育基地", "鄂州市峒山社区干部教育基地", 32, "组织党员到峒山社区干部教育基地参观学习，提高党性修养。"),
    (d(8, 25), A.FESTIVAL, "我们的节日·七夕", "局机关", 40, "开展七夕传统文化活动。"),
    (d(9, 30), A.FESTIVAL, "我们的节日·中秋", "局机关", 50, "开展中秋节传统文化活动。"),
    (d(10, 25), A.FESTIVAL, "我们的节日·重阳", "局机关", 35, "看望慰问退休老同志，开展重阳敬老活动。"),
]


def seed(org) -> None:
    user = org.office_user
    c = org.committee
    for date, title, outlet, level, author in ARTICLES:
        Article.objects.get_or_create(
            committee=c, date=date, title=title,
            defaults={"outlet": outlet, "level": level, "author": author, "created_by": user},
        )
    for date, issue_no, title in BULLETINS:
        InternalBulletin.objects.get_or_create(
            committee=c, series=BULLETIN_SERIES, issue_no=issue_no,
            defaults={"date": date, "title": title, "created_by": user},
        )
    for kind, name, location, admin, themes in CHANNELS:
        channel, _ = Channel.objects.get_or_create(
            committee=c, kind=kind, name=name,
            defaults={"location": location, "admin": admin, "themes": themes, "created_by": user},
        )
        for date in CHECK_DATES:
            ChannelCheck.objects.get_or_create(
                committee=c, channel=channel, date=date,
                defaults={"findings": CHECK_FINDINGS[kind], "created_by": user},
            )
    name, honour, story = ROLE_MODEL
    RoleModel.objects.get_or_create(
        committee=c, year=YEAR, person=org.people[name], honour=honour, defaults={"story": story, "created_by": user}
    )
    for date, kind, title, place, participants, description in ACTIVITIES:
        Activity.objects.get_or_create(
            committee=c, date=date, title=title,
            defaults={
                "kind": kind, "place": place, "participants": participants,
                "description": description, "created_by": user,
            },
        )
