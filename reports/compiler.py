"""Gather every figure of the annual report into one plain context, and word it.

The figures are those of ``portal.figures``, defined once in each app's
selectors; the compiler reads them through the apps' ``report_*`` selectors
(plain dicts and lists, a fixed number of queries each), so the number of
queries does not grow with the data. Nothing it returns is a model instance:
the renderers (``reports/renderers.py``) turn the context into HTML or PDF.

Every sentence that states a figure is worded here, one function per sentence,
and returned as parts: plain text, or text linked to the records behind its
number (``?figure=<key>&year=Y`` on a record list). The template only places
the sentences. The headline sentences are worded exactly as DESIGN.md's table,
so a reader comparing years, and any check, finds them. A figure with nothing
recorded says so in words instead of printing "0次".
"""

from __future__ import annotations

import math
from decimal import Decimal

from django.db.models import Count, F
from django.db.models.functions import ExtractMonth
from django.urls import reverse
from django.utils.translation import gettext as _

from portal import figures as registry
from portal.charts import Series, bar_chart, line_chart
from portal.ledger.exporter import ledger_filename
from portal.registry import RECORD_TYPES
from publicity import selectors as publicity
from responsibility import selectors as responsibility
from study import selectors as study

CENTRAL_GROUP = "central_group"
ORDINALS = "一二三四五六七八九十"
# How the sample names each kind of activity ("一是开展了“宪法宣传周”活动。").
ACTIVITY_PHRASES = {"constitution": "“宪法宣传周”活动", "party_building": "党建特色活动", "festival": "传统节日活动",
                    "volunteer": "志愿服务活动", "other": "其他活动"}
STAFF_FIELDS = ("intro", "narrative_leadership", "narrative_study", "narrative_publicity", "narrative_activities",
                "shortcomings", "next_steps")
# A clause that names its records ("制定了A、B等工作文件") names at most this many and
# then states how many there are, so the body's length does not grow with the records.
NAMED_AT_MOST = 10
# The appendix counts these record types per month, and these per branch.
MONTHLY_TYPES = ("responsibility.meeting", "responsibility.task", "responsibility.inspection", "responsibility.talk",
                 "study.session", "publicity.article", "publicity.bulletin", "publicity.activity")
BRANCH_TYPES = ("study.session", "responsibility.task")
BRANCH_ROWS_AT_MOST = 30  # a page of the appendix
MONTHS = range(1, 13)


def default_title(committee) -> str:
    return f"{committee.unit_name}落实意识形态工作责任制情况报告"


def default_intro(committee, year: int) -> str:
    superiors = committee.superiors or _("上级党组织")
    return (
        f"{year}年以来，{committee.short_name}按照{superiors}的部署要求，坚持党管意识形态不动摇，"
        "牢牢把握意识形态工作领导权，全面落实意识形态工作责任制。现将有关情况报告如下。"
    )


def we(committee) -> str:
    """"我局" from "局党委", as the sample says; "本单位" when the short name has no such stem."""
    short = committee.short_name or ""
    return f"我{short[:-2]}" if short.endswith("党委") and len(short) > 2 else _("本单位")


# -- gathering ---------------------------------------------------------------------


def gather_counts(committee, year: int) -> dict:
    """The aggregates behind the figure sentences (also used for the previous year)."""
    return {
        "meetings": responsibility.report_meeting_counts(committee, year),
        "letters": responsibility.report_letter_counts(committee, year),
        "talks": responsibility.report_talk_counts(committee, year),
        "analyses": responsibility.report_trend_analyses(committee, year),
        "tasks": responsibility.report_task_counts(committee, year),
        "inspections": responsibility.report_inspection_counts(committee, year),
        "central_group": study.report_central_group(committee, year),
        "session_kinds": study.report_session_kind_counts(committee, year),
        "sessions": study.report_session_counts(committee, year),
        "app": study.report_app_stats(committee, year),
        "app_min_rate": study.app_active_rate_min(committee, year),
        "app_mean_score": study.app_daily_score_mean(committee, year),
        "articles": publicity.report_article_counts(committee, year),
        "bulletins": publicity.report_bulletin_counts(committee, year),
    }


def gather_ledgers(committee, year: int) -> dict:
    """The items the text names."""
    return {
        "assignments": responsibility.report_assignments(committee, year),
        "documents": responsibility.report_documents(committee, year),
        "handouts": study.report_handouts(committee, year),
        "channels": publicity.report_channels(committee, year),
        "role_models": publicity.report_role_models(committee, year),
        "activities": publicity.report_activities(committee, year),
    }


# -- sentence parts ----------------------------------------------------------------


def plain(text: str) -> dict:
    return {"text": text, "figure": None, "url": None, "none": False}


def linked(text: str, figure: str, year: int, none: bool = False) -> dict:
    """Text stating a figure, linked to the list of the records behind it (``none``: it has none)."""
    return {"text": text, "figure": figure, "url": registry.url(figure, year), "none": none}


def joined(items: list[dict], sep: str = "、") -> list[dict]:
    parts: list[dict] = []
    for i, item in enumerate(items):
        parts += [plain(sep), item] if i else [item]
    return parts


def sentence(key: str, *parts: dict, tail: str = "", recorded: bool = True) -> dict:
    """``headline`` is the sentence without its ``tail`` (the words the template used to add after it)."""
    headline = "".join(p["text"] for p in parts)
    if tail:
        parts = (*parts, plain(tail))
    return {"key": key, "parts": list(parts), "headline": headline, "text": headline + tail, "recorded": recorded,
            "states_figures": any(p["figure"] for p in parts)}


def unrecorded(key: str, figure: str, year: int, text: str) -> dict:
    """The words saying a figure has no records behind it (linked to the empty list all the same)."""
    return sentence(key, linked(text, figure, year, none=True), recorded=False)


def counted(key: str, figure: str, year: int, n: int, text: str, none_text: str) -> dict:
    """A sentence with one count, or the words saying nothing was recorded."""
    return sentence(key, linked(text, figure, year)) if n else unrecorded(key, figure, year, none_text)


# -- the headline sentences (DESIGN.md's table) --------------------------------------


def meetings_sentence(committee, year: int, c: dict) -> dict:
    n = c["meetings"]["ideology"]
    return counted("meetings", "ideology_meetings", year, n, f"党委专题研究了{n}次意识形态工作",
                   _("本年度未记录党委专题研究意识形态工作的会议"))


def letters_sentence(committee, year: int, c: dict) -> dict:
    s, m = c["letters"]["signed"], c["letters"]["branches"]
    if s:
        parts = [linked(f"{s}个党支部签订了意识形态工作责任书", "letters_signed", year)]
        if m > s:
            parts += [plain("，"), linked(f"{m - s}个党支部尚未签订", "letters_unsigned", year)]
        return sentence("letters", *parts)
    if m:
        return sentence("letters", linked(f"{m}个党支部均尚未签订意识形态工作责任书", "letters_unsigned", year),
                        recorded=False)
    return unrecorded("letters", "letters_signed", year, _("本年度未记录意识形态工作责任书"))


def talks_sentence(committee, year: int, c: dict) -> dict:
    n, short = c["talks"]["total"], committee.short_name
    return counted("talks", "committee_talks", year, n, f"{short}班子成员共开展了{n}次交心谈心",
                   f"本年度未记录{short}班子成员的交心谈心")


def analyses_sentence(committee, year: int, c: dict) -> dict:
    e, d = c["analyses"]["expected"], c["analyses"]["done"]
    if not e and not d:
        return unrecorded("analyses", "analyses_done", year, _("本年度未记录思想动态分析"))
    expected = linked(f"思想动态分析应开展{e}次", "analyses_expected", year)
    if d:
        return sentence("analyses", expected, plain("，"), linked(f"实际开展{d}次", "analyses_done", year))
    return sentence("analyses", expected, plain("，"), linked("本年度尚未记录", "analyses_done", year, none=True),
                    recorded=False)


def central_group_sentence(committee, year: int, c: dict) -> dict:
    n, months = c["central_group"]["count"], c["central_group"]["ideology_months"]
    if not n:
        return unrecorded("central_group", "central_group_sessions", year, _("本年度未记录党委理论学习中心组学习"))
    parts = [linked(f"全年共开展了{n}次党委理论学习中心组学习", "central_group_sessions", year)]
    if months:
        themed = f"其中{'、'.join(str(m) for m in months)}月份召开了以“意识形态”为主题的党委理论学习中心组学习"
        parts += [plain("，"), linked(themed, "central_group_ideology_sessions", year)]
    return sentence("central_group", *parts, tail="，加强了意识形态工作的学习部署" if months else "")


def app_sentence(committee, year: int, c: dict) -> dict:
    app = app_summary(c)
    if app is None:
        return unrecorded("app", "app_active_rate_min", year, _("本年度未记录“学习强国”学习数据"))
    rate = "学员活跃率长期保持在100%" if app["always_full"] else f"学员活跃率保持在{app['min_rate_text']}%以上"
    return sentence(
        "app",
        linked(f"{we(committee)}{rate}", "app_active_rate_min", year),
        plain("，"),
        linked(f"日人均分基本达到{app['score_floor']}分以上", "app_daily_score_mean", year),
        tail="，切实提高了平台的参与度和使用度",
    )


def articles_sentence(committee, year: int, c: dict) -> dict:
    n = c["articles"]["provincial_and_above"]
    return counted("articles", "articles_provincial_plus", year, n, f"在省部级及以上媒体上发布{n}篇文章",
                   _("本年度未记录在省部级及以上媒体发布的文章"))


def bulletins_sentence(committee, year: int, c: dict) -> dict:
    if not c["bulletins"]:
        return sentence("bulletins", plain("，"), linked(_("本年度未记录内部刊物"), "bulletin_issues", year, none=True),
                        recorded=False)
    items = [
        linked(f"发布了{b['count']}期《{series_name(b['series'])}》", f"bulletin_issues_of_series:{b['series']}", year)
        for b in c["bulletins"]
    ]
    return sentence("bulletins", plain("，在党机关内部"), *joined(items, "，"))


def headline_sentences(committee, year: int, c: dict) -> dict[str, dict]:
    return {
        "meetings": meetings_sentence(committee, year, c),
        "letters": letters_sentence(committee, year, c),
        "talks": talks_sentence(committee, year, c),
        "analyses": analyses_sentence(committee, year, c),
        "central_group": central_group_sentence(committee, year, c),
        "app": app_sentence(committee, year, c),
        "articles": articles_sentence(committee, year, c),
        "bulletins": bulletins_sentence(committee, year, c),
    }


# -- the other figure sentences ----------------------------------------------------


def holders_sentence(committee, year: int, ledgers: dict) -> dict:
    first = "、".join(a["name"] for a in ledgers["assignments"] if a["kind"] == "first")
    direct = "、".join(a["name"] for a in ledgers["assignments"] if a["kind"] == "direct")
    first_text = f"{first}同志作为第一责任人" if first else f"{committee.short_name}主要负责人是第一责任人"
    direct_text = f"{direct}同志作为直接责任人" if direct else "分管领导作为直接责任人"
    return sentence("holders", plain(f"{first_text}，带头抓好意识形态工作；{direct_text}协助书记抓好统筹协调和推动工作落实"))


def names_of(names: list[str], sep: str = "、") -> tuple[str, int | None]:
    """The names a clause lists, and the count it must then state: None when it
    names them all, the number of records when it names only the first
    NAMED_AT_MOST ("制定了A、B……J等12个工作文件")."""
    if len(names) <= NAMED_AT_MOST:
        return sep.join(names), None
    return sep.join(names[:NAMED_AT_MOST]), len(names)


def more(count: int | None, unit: str) -> str:
    """"12个" after "等" when a clause names only some of its records."""
    return f"{count}{unit}" if count else ""


def documents_sentence(committee, year: int, ledgers: dict) -> dict:
    titles, count = names_of([d["title"] for d in ledgers["documents"]])
    if not titles:
        return sentence("documents")
    return sentence("documents", plain("，"), linked(f"制定了{titles}等{more(count, '个')}工作文件", "work_documents", year))


def tasks_sentence(committee, year: int, c: dict) -> dict:
    """Both the ideology count and its on-time count are over ideology tasks only."""
    total, ideology, on_time = c["tasks"]["total"], c["tasks"]["ideology"], c["tasks"]["ideology_on_time"]
    if not total:
        return unrecorded("tasks", "tasks", year, _("本年度未记录月销单任务"))
    parts = [linked(f"全年列入月销单任务{total}项", "tasks", year), plain("，")]
    if not ideology:
        return sentence("tasks", *parts, linked("其中未列入意识形态工作任务", "ideology_tasks", year, none=True))
    closed = (linked(f"按月销号{on_time}项", "ideology_tasks_on_time", year) if on_time
              else linked("均未按月销号", "ideology_tasks_on_time", year, none=True))
    return sentence("tasks", *parts, linked(f"其中意识形态工作任务{ideology}项", "ideology_tasks", year), plain("，"), closed)


def inspections_sentence(committee, year: int, c: dict) -> dict:
    total = c["inspections"]["total"]
    if not total:
        return unrecorded("inspections", "inspections", year, _("本年度未记录督导检查"))
    forms = [linked(f"{i['label']}{i['count']}次", f"inspections_by_form:{i['form']}", year)
             for i in c["inspections"]["by_form"]]
    return sentence("inspections", linked(f"利用会议和调研等形式开展督导检查{total}次", "inspections", year),
                    plain("（"), *joined(forms), plain("）"))


def surveys_sentence(committee, year: int, c: dict) -> dict:
    topics = "、".join(f"“{t}”" for t in c["analyses"]["survey_topics"])
    if not topics:
        return sentence("surveys")
    return sentence("surveys", plain("，"),
                    linked(f"并针对{topics}时期党员干部思想动态，进行了专题调研分析", "special_surveys", year))


def session_kinds_sentence(committee, year: int, c: dict) -> dict:
    """Branch sessions by kind (the central group has its own sentence)."""
    kinds = [
        linked(f"{label}{c['session_kinds'][kind]}次", f"sessions_by_kind:{kind}", year)
        for kind, label in study.report_session_kinds()
        if kind != CENTRAL_GROUP and c["session_kinds"].get(kind)
    ]
    if not kinds:
        return sentence("session_kinds")
    return sentence("session_kinds", plain("各党支部开展"), *joined(kinds), plain("。"))


def handouts_sentence(committee, year: int, ledgers: dict) -> dict:
    titles = {scope: names_of([book_title(h["title"]) for h in ledgers["handouts"] if h["scope"] == scope])
              for scope in ("member", "branch")}
    (member, members), (branch, branches) = titles["member"], titles["branch"]
    if not member and not branch:
        return sentence("handouts", plain("本年度未记录学习资料发放。"), recorded=False)
    parts = []
    if member:
        tail = f"等{members}种学习资料" if members else ""
        parts.append(linked(f"每位党员发放了{member}{tail}", "handouts_by_scope:member", year))
    if branch:
        parts += [plain("，")] if parts else []
        parts.append(linked(f"每个支部发放了{branch}等{more(branches, '种')}学习书籍", "handouts_by_scope:branch", year))
    return sentence("handouts", *parts, plain("，引导干部职工养成读书学习的良好习惯。"))


def article_levels_sentence(committee, year: int, c: dict) -> dict:
    """Articles per outlet level, only the levels that have any, in the order 中央级 … 内部."""
    levels = [linked(f"{r['label']}{r['count']}篇", f"articles_by_level:{r['level']}", year)
              for r in c["articles"]["by_level"] if r["count"]]
    if not levels:
        return sentence("article_levels")
    return sentence("article_levels", linked(f"全年共发布宣传稿件{c['articles']['total']}篇", "articles", year),
                    plain("，其中"), *joined(levels), plain("，"))


def channels_sentence(committee, year: int, ledgers: dict) -> dict:
    channels = ledgers["channels"]
    if not channels:
        return sentence("channels", plain("本年度未记录宣传阵地。"), recorded=False)
    names, count = names_of([
        f"{ch['name']}（{ch['location']}）" if ch["location"] and ch["location"] not in ch["name"] else ch["name"]
        for ch in channels
    ])
    parts = [linked(f"{names}等{more(count, '个')}宣传阵地由专人管理", "channels", year)]
    supervised, count = names_of([ch["name"] for ch in channels if ch["supervised"]])
    if supervised:
        tail = f"等{count}个宣传阵地" if count else ""
        parts += [plain("，"), linked(f"全年对{supervised}{tail}开展了监管检查", "channels_supervised", year)]
    return sentence("channels", *parts, plain("，让网络平台成为宣扬主旋律的重要载体。"))


def role_models_sentence(committee, year: int, ledgers: dict) -> dict:
    models, count = names_of([f"{m['person__name']}“{m['honour']}”" for m in ledgers["role_models"]])
    if not models:
        return sentence("role_models", plain("本年度未记录先进典型。"), recorded=False)
    return sentence("role_models", linked(f"树立了{models}等{more(count, '名')}先进典型", "role_models", year),
                    plain("，以身边的榜样弘扬社会主义核心价值观。"))


def activity_sentences(committee, year: int, ledgers: dict) -> list[dict]:
    """Section 4: one paragraph per kind of activity, naming each one."""
    groups = group_activities(ledgers["activities"])
    if not groups:
        return [sentence("activities", plain("本年度未记录宣传教育和文明创建活动。"), recorded=False)]
    return [
        sentence(
            f"activities_{g['kind']}",
            plain(f"{g['ordinal']}是开展了{g['phrase']}。"),
            linked(activity_names(g["items"]), f"activities_by_kind:{g['kind']}", year),
            plain("。"),
        )
        for g in groups
    ]


def activity_names(items: list[dict]) -> str:
    names, count = names_of([f"{a['title']}（{a['where']}）" if a["where"] else a["title"] for a in items], "；")
    return f"{names}等{count}项活动" if count else names


def body_sentences(committee, year: int, c: dict, ledgers: dict, headlines: dict) -> dict:
    """Every sentence of the body stating a figure, by the template's name for it."""
    return {
        **headlines,
        "holders": holders_sentence(committee, year, ledgers),
        "documents": documents_sentence(committee, year, ledgers),
        "tasks": tasks_sentence(committee, year, c),
        "inspections": inspections_sentence(committee, year, c),
        "surveys": surveys_sentence(committee, year, c),
        "session_kinds": session_kinds_sentence(committee, year, c),
        "handouts": handouts_sentence(committee, year, ledgers),
        "article_levels": article_levels_sentence(committee, year, c),
        "channels": channels_sentence(committee, year, ledgers),
        "role_models": role_models_sentence(committee, year, ledgers),
        "activities": activity_sentences(committee, year, ledgers),
    }


# -- figures -----------------------------------------------------------------------


def app_summary(c: dict) -> dict | None:
    """The 学习强国 figures (lowest rate, mean daily score rounded down as the sample's
    "基本达到45分以上") and the appendix's mean rate."""
    rows = c["app"]
    if not rows:
        return None
    lowest, mean_score = c["app_min_rate"], c["app_mean_score"]
    rates = [Decimal(r["activity_rate"]) for r in rows]
    return {
        "months": len(rows),
        "min_rate": lowest,
        "min_rate_text": _num(lowest),
        "mean_rate": _num(sum(rates) / len(rates), 1),
        "mean_score": mean_score,
        "score_floor": math.floor(mean_score),
        "always_full": lowest >= 100,
        "months_below_full": [r["month"].month for r in rows if Decimal(r["activity_rate"]) < 100],
    }


def _num(value: Decimal, places: int = 2) -> str:
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return text or "0"


def series_name(series: str) -> str:
    return series.strip().strip("《》").strip()


def figures_of(year: int, c: dict, s: dict[str, dict]) -> dict[str, dict]:
    """The headline figures (the side table compares them with the previous year)."""
    def figure(key: str, label: str, value, figure_key: str) -> dict:
        return {"key": key, "label": label, "value": value, "sentence": s[key]["headline"],
                "url": registry.url(figure_key, year), "recorded": s[key]["recorded"]}

    app = app_summary(c)
    found = {
        "meetings": figure("meetings", _("党委专题研究意识形态工作"), c["meetings"]["ideology"], "ideology_meetings"),
        "letters": figure("letters", _("签订责任书的党支部"), c["letters"]["signed"], "letters_signed"),
        "talks": figure("talks", _("班子成员交心谈心"), c["talks"]["total"], "committee_talks"),
        "analyses": figure("analyses", _("思想动态分析"), c["analyses"]["done"], "analyses_done"),
        "central_group": figure("central_group", _("党委理论学习中心组学习"), c["central_group"]["count"],
                                "central_group_sessions"),
        "app": figure("app", _("学习强国最低月活跃率（%）"), app and app["min_rate_text"], "app_active_rate_min"),
        "articles": figure("articles", _("省部级及以上媒体发稿"), c["articles"]["provincial_and_above"],
                           "articles_provincial_plus"),
    }
    found["central_group"]["ideology_months"] = c["central_group"]["ideology_months"]
    if app:
        found["app"]["score"] = app["score_floor"]
    # One figure per series: the linked parts of the bulletins sentence, in the order of c["bulletins"].
    series = [p for p in s["bulletins"]["parts"] if p["figure"]] if c["bulletins"] else []
    for i, (b, part) in enumerate(zip(c["bulletins"], series)):
        key = f"bulletin_{i}"
        found[key] = {"key": key, "label": f"《{series_name(b['series'])}》", "value": b["count"],
                      "sentence": part["text"], "url": part["url"], "recorded": True}
    return found


def build_figures(committee, year: int, c: dict) -> dict[str, dict]:
    return figures_of(year, c, headline_sentences(committee, year, c))


# -- suggestions for 不足 ------------------------------------------------------------


def suggestions(committee, year: int, c: dict, previous: dict | None) -> list[str]:
    """Weak spots the records show, offered next to 不足 (staff choose and edit)."""
    out: list[str] = []
    missing = [
        (row["branch"], [q for q, d in zip((1, 2, 3, 4), row["quarters"]) if d is None])
        for row in c["analyses"]["matrix"]
    ]
    for branch, quarters in missing:
        if quarters:
            qs = "、".join(f"第{q}季度" for q in quarters)
            out.append(f"{branch}{qs}思想动态分析未开展或未记录，对党员干部思想动态的掌握还需加强。")
    if c["letters"]["unsigned_names"] and c["letters"]["branches"]:
        names = "、".join(c["letters"]["unsigned_names"])
        out.append(f"{names}尚未签订{year}年度意识形态工作责任书，责任传导还需压实。")
    if previous is not None:
        now, before = c["articles"]["provincial_and_above"], previous["articles"]["provincial_and_above"]
        if now < before:
            out.append(f"在省部级及以上媒体发布文章{now}篇，少于上年的{before}篇，对外宣传力度还需进一步加大。")
    app = app_summary(c)
    if app and app["months_below_full"]:
        months = "、".join(str(mo) for mo in app["months_below_full"])
        out.append(f"{months}月份“学习强国”学员活跃率未达到100%，平台学习的参与度还需提高。")
    if c["tasks"]["ideology"] and c["tasks"]["ideology_on_time"] < c["tasks"]["ideology"]:
        late = c["tasks"]["ideology"] - c["tasks"]["ideology_on_time"]
        out.append(f"党建任务月销单中有{late}项意识形态工作任务未按月销号，督办落实还需加强。")
    if not c["meetings"]["ideology"]:
        out.append(f"{year}年党委会议中未记录专题研究意识形态工作的会议，研究部署还需加强。")
    return out


# -- charts ------------------------------------------------------------------------


def chart(key: str, title: str, svg: str) -> dict:
    """A chart of the report: drawn without its title, which stands above it as a caption
    (a level-3 heading on paper), so the two never overlap."""
    return {"key": key, "title": title, "svg": svg}


def charts(c: dict) -> dict[str, dict | None]:
    months = [f"{m}月" for m in MONTHS]
    per_member = c["talks"]["per_member"]
    title = _("班子成员谈心谈话次数")
    talks = (
        chart("talks", title, bar_chart([p["name"] for p in per_member],
                                        [Series(_("谈心谈话次数"), [p["count"] for p in per_member])],
                                        title=title, show_title=False))
        if per_member and c["talks"]["total"]
        else None
    )
    central = [0] * 12
    other = [0] * 12
    for r in c["sessions"]:
        (central if r["kind"] == CENTRAL_GROUP else other)[r["month"] - 1] += r["count"]
    title = _("各月学习活动次数")
    sessions = (
        chart("sessions", title, bar_chart(months, [Series(_("中心组学习"), central), Series(_("支部学习"), other)],
                                           title=title, stacked=True, show_title=False))
        if any(central) or any(other)
        else None
    )
    by_month: list = [None] * 12
    for r in c["app"]:
        by_month[r["month"].month - 1] = float(r["activity_rate"])
    title = _("“学习强国”各月学员活跃率（%）")
    app = (
        chart("app", title, line_chart(months, [Series(_("活跃率（%）"), by_month)], title=title, max_value=100,
                                       show_title=False))
        if c["app"]
        else None
    )
    return {"talks": talks, "sessions": sessions, "app": app}


# -- the appendix: summaries, whose length does not grow with the records ------------
# Every record of the year is in the ledger workbook offered beside the report
# (portal.ledger); the appendix counts them by month, kind and branch.


def record_type_counts(committee, year: int, keys: tuple[str, ...], group: str) -> dict[str, dict]:
    """Records of each registered type in the year, counted by ``group`` ("month"
    or "branch"): one query per type, whatever the volume."""
    found = {}
    for key in keys:
        rt = RECORD_TYPES.get(key)
        if rt is None or (group == "month" and not rt.date_field) or (group == "branch" and not rt.branch_field):
            continue
        qs = rt.in_year(rt.model.objects.filter(committee=committee), year).order_by()
        if group == "month":
            rows = qs.annotate(g=ExtractMonth(rt.date_field)).values("g").annotate(n=Count("pk"))
        else:
            rows = qs.values(g=F(f"{rt.branch_field}__name")).annotate(n=Count("pk"))
        found[key] = {"label": rt.label, "url": list_url(rt, year), "counts": {r["g"]: r["n"] for r in rows}}
    return found


def list_url(rt, year: int) -> str | None:
    return f"{reverse(rt.list_url)}?year={year}" if rt.list_url else None


def month_table(by_type: dict[str, dict]) -> dict:
    """Months down, record types across, a total row; an empty month says 0."""
    columns = [{"key": k, "label": t["label"], "url": t["url"], "total": sum(t["counts"].values())}
               for k, t in by_type.items()]
    rows = [{"month": m, "counts": [by_type[c["key"]]["counts"].get(m, 0) for c in columns]} for m in MONTHS]
    return {"columns": columns, "rows": rows}


def session_kind_table(c: dict, year: int) -> dict:
    """Study sessions per month and kind (only the kinds held), with totals."""
    counts: dict[str, list[int]] = {}
    for r in c["sessions"]:
        counts.setdefault(r["kind"], [0] * 12)[r["month"] - 1] += r["count"]
    columns = [{"key": kind, "label": label, "total": sum(counts[kind]),
                "url": registry.url(f"sessions_by_kind:{kind}", year)}
               for kind, label in study.report_session_kinds() if kind in counts]
    rows = [{"month": m, "counts": [counts[col["key"]][m - 1] for col in columns],
             "total": sum(counts[col["key"]][m - 1] for col in columns)} for m in MONTHS]
    return {"columns": columns, "rows": rows, "total": sum(col["total"] for col in columns)}


def branch_table(c: dict, by_branch: dict[str, dict]) -> dict:
    """One row per branch: its sessions and tasks, its quarterly analyses (the
    branch × quarter matrix) and whether it signed the year's letter; the
    records that belong to no branch (the committee's own); totals.

    A row per branch stays bounded too: with more than BRANCH_ROWS_AT_MOST
    branches only those with a gap (a quarter without an analysis, a letter
    not signed) are listed, at most that many; the totals still count them all."""
    columns = [{"key": k, "label": t["label"], "url": t["url"]} for k, t in by_branch.items()]
    unsigned = set(c["letters"]["unsigned_names"])
    rows = [
        {"branch": row["branch"], "counts": [by_branch[col["key"]]["counts"].get(row["branch"], 0) for col in columns],
         "quarters": row["quarters"], "signed": row["branch"] not in unsigned}
        for row in c["analyses"]["matrix"]
    ]
    gaps = [row for row in rows if not row["signed"] or not all(row["quarters"])]
    shown = rows if len(rows) <= BRANCH_ROWS_AT_MOST else gaps[:BRANCH_ROWS_AT_MOST]
    own = [by_branch[col["key"]]["counts"].get(None, 0) for col in columns]
    total = {
        "counts": [sum(t["counts"].values()) for t in by_branch.values()],
        "quarters": [sum(1 for row in rows if row["quarters"][q]) for q in range(4)],
        "signed": sum(1 for row in rows if row["signed"]),
        "branches": len(rows),
    }
    return {"columns": columns, "rows": shown, "own": own if any(own) else None, "total": total,
            "complete_omitted": len(rows) - len(gaps) if shown is not rows else 0,
            "gaps_omitted": len(gaps) - len(shown) if shown is not rows else 0}


def appendix(committee, year: int, c: dict) -> dict:
    return {
        "by_month": month_table(record_type_counts(committee, year, MONTHLY_TYPES, "month")),
        "sessions": session_kind_table(c, year),
        "branches": branch_table(c, record_type_counts(committee, year, BRANCH_TYPES, "branch")),
        "talks": [
            {**p, "url": registry.url("committee_talks", year, talker=p["id"])}
            for p in c["talks"]["per_member"]
        ],
        "app": c["app"],
        "app_summary": app_summary(c),
        "ledger_filename": ledger_filename(committee, year),
    }


# -- the whole report --------------------------------------------------------------


def group_activities(activities: list[dict]) -> list[dict]:
    groups: dict[str, dict] = {}
    for kind, label in publicity.report_activity_kinds():
        groups[kind] = {"kind": kind, "label": label, "items": []}
    for a in activities:
        groups.setdefault(a["kind"], {"kind": a["kind"], "label": a["kind_label"], "items": []})["items"].append(a)
    kept = [g for g in groups.values() if g["items"]]
    for i, g in enumerate(kept):
        g["ordinal"] = ORDINALS[i] if i < len(ORDINALS) else str(i + 1)
        g["phrase"] = ACTIVITY_PHRASES.get(g["kind"]) or (g["label"] if g["label"].endswith("活动") else f"{g['label']}活动")
        for a in g["items"]:
            a["where"] = "" if not a["place"] or a["place"] in a["title"] else a["place"]
    return kept


def book_title(title: str) -> str:
    """Handouts are books: the report names them in 《》 (kept when already there)."""
    title = title.strip()
    return title if title.startswith("《") and title.endswith("》") else f"《{title}》"


def yoy_rows(figures: dict, previous: dict | None) -> list[dict]:
    rows = []
    for key, f in figures.items():
        prev = previous.get(key) if previous else None
        rows.append({
            "label": f["label"], "value": f["value"] if f["recorded"] else 0, "url": f["url"],
            "previous": (prev["value"] if prev["recorded"] else 0) if prev else None,
        })
    return rows


def date_text(day) -> str:
    """成文日期 in Arabic numerals, as GB/T 9704-2012 writes it: "2020年12月28日"."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def has_any(c: dict) -> bool:
    return bool(
        c["meetings"]["total"] or c["talks"]["total"] or c["analyses"]["done"] or c["tasks"]["total"]
        or c["inspections"]["total"] or c["sessions"] or c["app"] or c["articles"]["total"] or c["bulletins"]
    )


def compile_report(committee, year: int, staff: dict | None = None) -> dict:
    """The report of one committee and year as plain data.

    ``staff`` holds the office's text (see STAFF_FIELDS) and the report's date
    (``issued_on``, 成文日期); ``reports.selectors`` passes the AnnualReport's
    fields, and the default title and opening are used where it is empty.
    """
    issued_on = (staff or {}).get("issued_on")
    staff = {k: (staff or {}).get(k) or "" for k in (*STAFF_FIELDS, "title", "status")}
    counts = gather_counts(committee, year)
    ledgers = gather_ledgers(committee, year)
    previous_counts = gather_counts(committee, year - 1)
    previous = build_figures(committee, year - 1, previous_counts) if has_any(previous_counts) else None
    headlines = headline_sentences(committee, year, counts)
    figures = figures_of(year, counts, headlines)
    chart_svgs = charts(counts)
    return {
        "committee": {"name": committee.name, "short_name": committee.short_name, "unit_name": committee.unit_name,
                      "superiors": committee.superiors, "slug": committee.slug, "we": we(committee)},
        "year": year,
        "previous_year": year - 1 if previous else None,
        "title": staff["title"] or default_title(committee),
        "intro": staff["intro"] or default_intro(committee, year),
        "status": staff["status"],
        "issued_on": issued_on,
        "issued_on_text": date_text(issued_on),
        "staff": {k: staff[k] for k in STAFF_FIELDS},
        "has_data": has_any(counts),
        # Who counted as a committee member and which branches there were (the year's 责任分工).
        "roster": responsibility.year_roster(committee, year),
        "text": body_sentences(committee, year, counts, ledgers, headlines),
        "figures": figures,
        "yoy": yoy_rows(figures, previous),
        "charts": chart_svgs,
        "chart_list": [ch for ch in chart_svgs.values() if ch],
        "suggestions": suggestions(committee, year, counts, previous_counts if previous else None),
        "appendix": appendix(committee, year, counts),
    }
