from django.apps import AppConfig


class PublicityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "publicity"
    verbose_name = "舆论宣传"

    def ready(self):
        from portal.registry import NavArea, RecordType, register, register_dashboard_panel, register_nav

        from . import models as m
        from .panels import dashboard_panels

        register(RecordType("publicity.article", "宣传稿件", m.Article, "date", "publicity:article_list"))
        register(RecordType("publicity.bulletin", "内部刊物", m.InternalBulletin, "date", "publicity:bulletin_list"))
        register(RecordType("publicity.channel", "宣传阵地", m.Channel, None, "publicity:channel_list", dashboard=False))
        register(RecordType("publicity.channelcheck", "阵地检查", m.ChannelCheck, "date", "publicity:channel_list", dashboard=False))
        register(RecordType("publicity.rolemodel", "先进典型", m.RoleModel, None, "publicity:rolemodel_list", year_field="year"))
        register(RecordType("publicity.activity", "活动", m.Activity, "date", "publicity:activity_list"))
        register(RecordType("publicity.activityphoto", "活动照片", m.ActivityPhoto, None, None, dashboard=False))
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

        from portal.registry import register_sheet

        from .ledger import SHEETS as ledger_sheets

        for sheet in ledger_sheets:
            register_sheet(sheet)
