"""Gather every figure of the annual report into one plain context.

The compiler reads the other apps only through their ``report_*`` selectors
(plain dicts and lists, a fixed number of queries each), so the number of
queries does not grow with the data. Nothing it returns is a model instance:
the renderers (``reports/renderers.py``) turn the context into HTML or PDF.

The figure sentences are worded exactly as DESIGN.md's table, so a reader
comparing years, and any check, finds them. A figure with nothing recorded
says so instead of printing "0次".
"""

from __future__ import annotations

import math
from decimal import Decimal

from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from portal.charts import Series, bar_chart, line_chart
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


def evidence_url(name: str, year: int, **params) -> str | None:
    """The filtered list of records behind a figure (None while that list page does not exist)."""
    try:
        base = reverse(name)
    except NoReverseMatch:
        return None
    return f"{base}?{urlencode({'year': year, **params})}"


def _figure(key: str, label: str, value, sentence: str, url: str | None, recorded: bool = True) -> dict:
    return {"key": key, "label": label, "value": value, "sentence": sentence, "url": url, "recorded": recorded}


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
        "sessions": study.report_session_counts(committee, year),
        "app": study.report_app_stats(committee, year),
        "articles": publicity.report_article_counts(committee, year),
        "bulletins": publicity.report_bulletin_counts(committee, year),
    }


def gather_ledgers(committee, year: int) -> dict:
    """The rows of the appendix and the named items in the text."""
    return {
        "assignments": responsibility.report_assignments(committee, year),
        "documents": responsibility.report_documents(committee, year),
        "meetings": responsibility.report_meetings(committee, year),
        "sessions": study.report_sessions(committee, year),
        "handouts": study.report_handouts(committee, year),
        "articles": publicity.report_articles(committee, year),
        "bulletins": publicity.report_bulletins(committee, year),
        "channels": publicity.report_channels(committee, year),
        "role_models": publicity.report_role_models(committee, year),
        "activities": publicity.report_activities(committee, year),
    }


# -- figures -----------------------------------------------------------------------


def app_summary(rows: list[dict]) -> dict | None:
    """Lowest and mean activity rate, mean daily score rounded down (the sample's "基本达到45分以上")."""
    if not rows:
        return None
    rates = [Decimal(r["activity_rate"]) for r in rows]
    scores = [Decimal(r["avg_score"]) for r in rows]
    lowest = min(rates)
    return {
        "months": len(rows),
        "min_rate": lowest,
        "min_rate_text": _num(lowest),
        "mean_rate": _num(sum(rates) / len(rates), 1),
        "mean_score": sum(scores) / len(scores),
        "score_floor": math.floor(sum(scores) / len(scores)),
        "always_full": lowest >= 100,
        "months_below_full": [r["month"].month for r in rows if Decimal(r["activity_rate"]) < 100],
    }


def _num(value: Decimal, places: int = 2) -> str:
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return text or "0"


def central_group(sessions: list[dict]) -> tuple[int, list[int]]:
    rows = [r for r in sessions if r["kind"] == CENTRAL_GROUP]
    months = sorted({r["month"] for r in rows if r["is_ideology"]})
    return sum(r["count"] for r in rows), months


def series_name(series: str) -> str:
    return series.strip().strip("《》").strip()


def build_figures(committee, year: int, c: dict) -> dict[str, dict]:
    short = committee.short_name
    figures: dict[str, dict] = {}

    n = c["meetings"]["ideology"]
    url = evidence_url("responsibility:meeting_list", year, is_ideology=1)
    figures["meetings"] = (
        _figure("meetings", _("党委专题研究意识形态工作"), n, f"党委专题研究了{n}次意识形态工作", url)
        if n
        else _figure("meetings", _("党委专题研究意识形态工作"), 0, _("本年度未记录党委专题研究意识形态工作的会议"), url, False)
    )

    letters = c["letters"]
    s, m = letters["signed"], letters["branches"]
    u = m - s
    url = evidence_url("responsibility:letter_list", year, status="complete")
    if s:
        sentence = f"{s}个党支部签订了意识形态工作责任书" + (f"，{u}个党支部尚未签订" if u > 0 else "")
        figures["letters"] = _figure("letters", _("签订责任书的党支部"), s, sentence, url)
    elif m:
        figures["letters"] = _figure("letters", _("签订责任书的党支部"), 0, f"{m}个党支部均尚未签订意识形态工作责任书", url, False)
    else:
        figures["letters"] = _figure("letters", _("签订责任书的党支部"), 0, _("本年度未记录意识形态工作责任书"), url, False)

    n = c["talks"]["total"]
    url = evidence_url("responsibility:talk_list", year, preset="members")
    figures["talks"] = (
        _figure("talks", _("班子成员交心谈心"), n, f"{short}班子成员共开展了{n}次交心谈心", url)
        if n
        else _figure("talks", _("班子成员交心谈心"), 0, f"本年度未记录{short}班子成员的交心谈心", url, False)
    )

    e, d = c["analyses"]["expected"], c["analyses"]["done"]
    url = evidence_url("responsibility:analysis_list", year)
    if d:
        figures["analyses"] = _figure("analyses", _("思想动态分析"), d, f"思想动态分析应开展{e}次，实际开展{d}次", url)
    else:
        sentence = f"思想动态分析应开展{e}次，本年度尚未记录" if e else _("本年度未记录思想动态分析")
        figures["analyses"] = _figure("analyses", _("思想动态分析"), 0, sentence, url, False)

    n, months = central_group(c["sessions"])
    url = evidence_url("study:session_list", year, kind=CENTRAL_GROUP)
    if n:
        sentence = f"全年共开展了{n}次党委理论学习中心组学习"
        if months:
            sentence += f"，其中{'、'.join(str(mo) for mo in months)}月份召开了以“意识形态”为主题的党委理论学习中心组学习"
        figures["central_group"] = _figure("central_group", _("党委理论学习中心组学习"), n, sentence, url)
    else:
        figures["central_group"] = _figure(
            "central_group", _("党委理论学习中心组学习"), 0, _("本年度未记录党委理论学习中心组学习"), url, False
        )
    figures["central_group"]["ideology_months"] = months

    app = app_summary(c["app"])
    url = evidence_url("study:appstat_list", year, branch="none")
    if app:
        rate = "学员活跃率长期保持在100%" if app["always_full"] else f"学员活跃率保持在{app['min_rate_text']}%以上"
        sentence = f"{we(committee)}{rate}，日人均分基本达到{app['score_floor']}分以上"
        figures["app"] = _figure("app", _("学习强国最低月活跃率（%）"), app["min_rate_text"], sentence, url)
        figures["app"]["score"] = app["score_floor"]
    else:
        figures["app"] = _figure("app", _("学习强国最低月活跃率（%）"), None, _("本年度未记录“学习强国”学习数据"), url, False)

    n = c["articles"]["provincial_and_above"]
    url = evidence_url("publicity:article_list", year, preset="high")
    figures["articles"] = (
        _figure("articles", _("省部级及以上媒体发稿"), n, f"在省部级及以上媒体上发布{n}篇文章", url)
        if n
        else _figure("articles", _("省部级及以上媒体发稿"), 0, _("本年度未记录在省部级及以上媒体发布的文章"), url, False)
    )

    bulletins = [
        {"series": series_name(b["series"]), "raw_series": b["series"], "count": b["count"]} for b in c["bulletins"]
    ]
    for i, b in enumerate(bulletins):
        key = f"bulletin_{i}"
        url = evidence_url("publicity:bulletin_list", year, q=b["raw_series"])
        figures[key] = _figure(key, f"《{b['series']}》", b["count"], f"发布了{b['count']}期《{b['series']}》", url)
    return figures


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
    app = app_summary(c["app"])
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


def charts(c: dict) -> dict[str, str | None]:
    months = [f"{m}月" for m in range(1, 13)]
    per_member = c["talks"]["per_member"]
    talks = (
        bar_chart([p["name"] for p in per_member], [Series(_("谈心谈话次数"), [p["count"] for p in per_member])],
                  title=_("班子成员谈心谈话次数"))
        if per_member and c["talks"]["total"]
        else None
    )
    central = [0] * 12
    other = [0] * 12
    for r in c["sessions"]:
        (central if r["kind"] == CENTRAL_GROUP else other)[r["month"] - 1] += r["count"]
    sessions = (
        bar_chart(months, [Series(_("中心组学习"), central), Series(_("支部学习"), other)],
                  title=_("各月学习活动次数"), stacked=True)
        if any(central) or any(other)
        else None
    )
    by_month: list = [None] * 12
    for r in c["app"]:
        by_month[r["month"].month - 1] = float(r["activity_rate"])
    app = (
        line_chart(months, [Series(_("活跃率（%）"), by_month)], title=_("“学习强国”各月学员活跃率（%）"),
                   max_value=100)
        if c["app"]
        else None
    )
    return {"talks": talks, "sessions": sessions, "app": app}


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


def session_kind_counts(sessions: list[dict]) -> list[dict]:
    totals: dict[str, int] = {}
    for r in sessions:
        totals[r["kind"]] = totals.get(r["kind"], 0) + r["count"]
    return [
        {"kind": kind, "label": label, "count": totals[kind]}
        for kind, label in study.report_session_kinds()
        if totals.get(kind) and kind != CENTRAL_GROUP
    ]


def yoy_rows(figures: dict, previous: dict | None) -> list[dict]:
    rows = []
    for key, f in figures.items():
        prev = previous.get(key) if previous else None
        rows.append({
            "label": f["label"], "value": f["value"] if f["recorded"] else 0, "url": f["url"],
            "previous": (prev["value"] if prev["recorded"] else 0) if prev else None,
        })
    return rows


def has_any(c: dict) -> bool:
    return bool(
        c["meetings"]["total"] or c["talks"]["total"] or c["analyses"]["done"] or c["tasks"]["total"]
        or c["inspections"]["total"] or c["sessions"] or c["app"] or c["articles"]["total"] or c["bulletins"]
    )


def compile_report(committee, year: int, staff: dict | None = None) -> dict:
    """The report of one committee and year as plain data.

    ``staff`` holds the office's text (see STAFF_FIELDS); ``reports.services``
    passes the AnnualReport's fields, and the default title and opening are
    used where it is empty.
    """
    staff = {k: (staff or {}).get(k) or "" for k in (*STAFF_FIELDS, "title", "status")}
    counts = gather_counts(committee, year)
    ledgers = gather_ledgers(committee, year)
    previous_counts = gather_counts(committee, year - 1)
    previous = build_figures(committee, year - 1, previous_counts) if has_any(previous_counts) else None
    figures = build_figures(committee, year, counts)
    chart_svgs = charts(counts)
    handouts = [{**h, "title": book_title(h["title"])} for h in ledgers["handouts"]]
    return {
        "committee": {"name": committee.name, "short_name": committee.short_name, "unit_name": committee.unit_name,
                      "superiors": committee.superiors, "slug": committee.slug, "we": we(committee)},
        "year": year,
        "previous_year": year - 1 if previous else None,
        "title": staff["title"] or default_title(committee),
        "intro": staff["intro"] or default_intro(committee, year),
        "status": staff["status"],
        "staff": {k: staff[k] for k in STAFF_FIELDS},
        "has_data": has_any(counts),
        "figures": figures,
        "bulletin_figures": [f for k, f in figures.items() if k.startswith("bulletin_")],
        "yoy": yoy_rows(figures, previous),
        "leadership": {
            "assignments": ledgers["assignments"],
            "first": [a for a in ledgers["assignments"] if a["kind"] == "first"],
            "direct": [a for a in ledgers["assignments"] if a["kind"] == "direct"],
            "documents": ledgers["documents"],
            "tasks": counts["tasks"],
            "inspections": counts["inspections"],
            "talks": counts["talks"],
            "analyses": counts["analyses"],
            "letters": counts["letters"],
        },
        "study": {
            "session_kinds": session_kind_counts(counts["sessions"]),
            "app": app_summary(counts["app"]),
            "handouts_member": [h for h in handouts if h["scope"] == "member"],
            "handouts_branch": [h for h in handouts if h["scope"] == "branch"],
        },
        "publicity": {
            "articles": counts["articles"],
            "channels": [
                {**ch, "where": "" if not ch["location"] or ch["location"] in ch["name"] else ch["location"]}
                for ch in ledgers["channels"]
            ],
            "channels_checked": [ch for ch in ledgers["channels"] if ch["checks_in_year"]],
            "role_models": ledgers["role_models"],
        },
        "activity_groups": group_activities(ledgers["activities"]),
        "charts": chart_svgs,
        "chart_list": [svg for svg in chart_svgs.values() if svg],
        "suggestions": suggestions(committee, year, counts, previous_counts if previous else None),
        "appendix": {
            "meetings": ledgers["meetings"],
            "sessions": ledgers["sessions"],
            "talks": [
                {**p, "url": evidence_url("responsibility:talk_list", year, talker=p["id"])}
                for p in counts["talks"]["per_member"]
            ],
            "articles": ledgers["articles"],
            "bulletins": ledgers["bulletins"],
            "activities": ledgers["activities"],
            "matrix": counts["analyses"]["matrix"],
            "app": counts["app"],
        },
    }
