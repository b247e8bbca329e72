from django.apps import AppConfig


class StudyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "study"
    verbose_name = "理论学习"

    def ready(self):
        from portal import figures
        from portal.registry import NavArea, register_dashboard_panel, register_nav

        from . import records  # noqa: F401 - registers the record types
        from . import selectors
        from .panels import dashboard_panels

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
        figures.register(*selectors.FIGURES)

        from portal.registry import register_sheet

        from .ledger import SHEETS as ledger_sheets

        for sheet in ledger_sheets:
            register_sheet(sheet)
