from django.apps import AppConfig


class ResponsibilityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "responsibility"
    verbose_name = "责任制"

    def ready(self):
        from portal.registry import NavArea, RecordType, register, register_dashboard_panel, register_nav

        from . import models as m
        from .panels import dashboard_panels

        for key, label, model, date_field, year_field, url in [
            ("responsibility.meeting", "党委会议", m.CommitteeMeeting, "date", None, "responsibility:meeting_list"),
            ("responsibility.talk", "谈心谈话", m.Talk, "date", None, "responsibility:talk_list"),
            ("responsibility.analysis", "思想动态分析", m.TrendAnalysis, None, "year", "responsibility:analysis_list"),
            ("responsibility.task", "月销单任务", m.MonthlyTask, "month", None, "responsibility:task_list"),
            ("responsibility.inspection", "督导检查", m.Inspection, "date", None, "responsibility:inspection_list"),
            ("responsibility.document", "工作文件", m.WorkDocument, "date", None, "responsibility:document_list"),
            ("responsibility.assignment", "责任分工", m.Assignment, None, "year", "responsibility:assignment_list"),
            ("responsibility.letter", "责任书", m.ResponsibilityLetter, None, "year", "responsibility:letter_list"),
        ]:
            register(RecordType(key, label, model, date_field, url, year_field=year_field))
        register_nav(
            NavArea(
                key="responsibility",
                label="责任制",
                order=10,
                links=(
                    ("责任分工", "responsibility:assignment_list"),
                    ("意识形态工作责任书", "responsibility:letter_list"),
                    ("责任书验证", "responsibility:letter_verify"),
                    ("工作文件", "responsibility:document_list"),
                    ("党委会议", "responsibility:meeting_list"),
                    ("党建任务月销单", "responsibility:task_month"),
                    ("督导检查", "responsibility:inspection_list"),
                    ("谈心谈话", "responsibility:talk_list"),
                    ("思想动态分析", "responsibility:analysis_list"),
                    ("思想动态分析完成情况", "responsibility:analysis_matrix"),
                ),
            )
        )
        register_dashboard_panel(dashboard_panels)

        from portal.registry import register_sheet

        from .ledger import SHEETS as ledger_sheets

        for sheet in ledger_sheets:
            register_sheet(sheet)
