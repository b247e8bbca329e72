from django.apps import AppConfig


class ResponsibilityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "responsibility"
    verbose_name = "责任制"

    def ready(self):
        from portal import figures
        from portal.registry import NavArea, register_dashboard_panel, register_nav

        from . import records  # noqa: F401 - registers the record types
        from . import selectors
        from .panels import dashboard_panels

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
        figures.register(*selectors.FIGURES)

        from portal.registry import register_sheet

        from .ledger import SHEETS as ledger_sheets

        for sheet in ledger_sheets:
            register_sheet(sheet)

        # The letter's audit chain and what its sealed PDFs are (portal.chains, portal.seal).
        from portal.chains import ChainType, register_chain
        from portal.seal.issuing import register_describer

        from .letter_pdf import describe_letter_document
        from .models import LETTER_DOCUMENT_KIND, LETTER_EVENTS_CHAIN, LetterEvent
        from .models.letters import letter_event_content, letter_event_name

        register_chain(
            ChainType(
                key=LETTER_EVENTS_CHAIN,
                label="责任书事件",
                model=LetterEvent,
                content=letter_event_content,
                group_field="letter",
                describe_link=letter_event_name,
            )
        )
        register_describer(LETTER_DOCUMENT_KIND, describe_letter_document)
