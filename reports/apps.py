from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "年度报告"

    def ready(self):
        from portal.registry import NavArea, RecordType, register, register_nav

        from . import models as m

        register(RecordType("reports.annualreport", "年度报告", m.AnnualReport, None, None, year_field="year", dashboard=False))
        register_nav(NavArea(key="reports", label="年度报告", order=40, links=(("年度报告", "reports:index"),)))
