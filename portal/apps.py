from django.apps import AppConfig


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = "组织与用户"

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
        from . import records  # noqa: F401 - registers the organisation's record types
        from .seal.registration import register_seal
        from .registry import NavArea, register_nav

        register_nav(
            NavArea(
                key="org",
                label="组织机构",
                order=90,
                links=(("党委", "committee"), ("党支部", "portal:branch_list"), ("科室测站", "portal:department_list"),
                       ("人员", "portal:person_list")),
            )
        )
        register_nav(
            NavArea(
                key="ledger",
                label="台账导入导出",
                order=50,
                links=(("导入台账", "ledger:import", "ledger.import"), ("导出台账", "ledger:export")),
                rule="ledger.export",
            )
        )

        from .ledger.org import SHEETS as ledger_sheets
        from .registry import register_sheet

        for sheet in ledger_sheets:
            register_sheet(sheet)
        register_seal()
