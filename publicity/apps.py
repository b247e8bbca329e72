from django.apps import AppConfig


class PublicityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "publicity"
    verbose_name = "舆论宣传"

    def ready(self):
        from portal import figures
        from portal.registry import NavArea, register_dashboard_panel, register_nav

        from . import records  # noqa: F401 - registers the record types
        from . import selectors
        from .panels import dashboard_panels

        register_nav(
            NavArea(
                key="publicity",
                label="舆论宣传与活动",
                order=30,
                links=(
                    ("宣传稿件", "publicity:article_list"),
                    ("内部刊物", "publicity:bulletin_list"),
                    ("宣传阵地", "publicity:channel_list"),
                    ("先进典型", "publicity:rolemodel_list"),
                    ("活动", "publicity:activity_list"),
                ),
            )
        )
        register_dashboard_panel(dashboard_panels)
        figures.register(*selectors.FIGURES)

        from portal.registry import register_sheet

        from .ledger import SHEETS as ledger_sheets

        for sheet in ledger_sheets:
            register_sheet(sheet)
