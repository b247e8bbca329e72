from django.apps import AppConfig


class StudyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "study"
    verbose_name = "理论学习"

    def ready(self):
        from portal.registry import NavArea, RecordType, register, register_dashboard_panel, register_nav

        from . import models as m
        from .panels import dashboard_panels

        register(RecordType("study.session", "学习活动", m.StudySession, "date", "study:session_list"))
        register(RecordType("study.appstat", "学习强国月度数据", m.StudyAppStat, "month", "study:appstat_list"))
        register(RecordType("study.handout", "学习资料发放", m.MaterialHandout, "date", "study:handout_list"))
        register_nav(
            NavArea(
                key="study",
                label="理论学习",
                order=20,
                links=(
                    ("学习活动", "study:session_list"),
                    ("年度学习概况", "study:overview"),
                    ("学习强国", "study:appstat_list"),
                    ("学习资料发放", "study:handout_list"),
                ),
            )
        )
        register_dashboard_panel(dashboard_panels)

        from portal.registry import register_sheet

        from .ledger import SHEETS as ledger_sheets

        for sheet in ledger_sheets:
            register_sheet(sheet)
