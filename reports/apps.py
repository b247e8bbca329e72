from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "年度报告"

    def ready(self):
        from portal.registry import NavArea, RecordType, register, register_dashboard_panel, register_nav

        from . import models as m

        register(RecordType("reports.annualreport", "年度报告", m.AnnualReport, None, None, year_field="year", dashboard=False))
        register_nav(NavArea(key="reports", label="年度报告", order=40, links=(("年度报告", "reports:index"),)))
        register_dashboard_panel(dashboard_panel)
        register_chains()


def register_chains() -> None:
    """The audit chains of report freezes and of sealed builds (``audit_chain`` walks them), and
    what the verify page says a report PDF is."""
    from portal.chains import ChainType, register_chain
    from portal.seal.issuing import register_describer

    from . import models as m
    from . import selectors, services

    register_chain(ChainType(
        key=services.FREEZE_CHAIN, label="年度报告定稿", model=m.ReportFreeze, content=services.freeze_content,
        group_field="report", describe_link=lambda f: f"ReportFreeze #{f.pk}（{f.report_id}）",
    ))
    register_chain(ChainType(
        key=services.BUILD_CHAIN, label="年度报告生成", model=m.ReportBuild, content=services.build_link_content,
        group_field="report", describe_link=lambda b: f"ReportBuild #{b.pk}（第{b.number}次）",
        linked=lambda qs: qs.filter(status=m.ReportBuild.Status.DONE, issued__isnull=False),
    ))
    register_describer(services.BUILD_KIND, selectors.describe_build)
    from .binder import index as binder_index
    from .binder import selectors as binder_selectors

    register_describer(binder_index.BINDER_KIND, binder_selectors.describe_binder_index)


def dashboard_panel(request, actor, year):
    """Leaders and the office get the year's report: build status and the PDF download."""
    from . import selectors

    if not selectors.may_download(actor):
        return []
    report = selectors.report_of_year(actor.committee, year)
    return [{"template": "reports/_dashboard_panel.html",
             "context": {"year": year, "build": selectors.build_status(report, year)}}]
