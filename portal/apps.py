from django.apps import AppConfig


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = "组织与用户"

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
        from .seal.registration import register_seal
        from .models import Branch, Department, Person, Role
        from .registry import NavArea, RecordType, register, register_nav

        register(RecordType("portal.branch", "党支部", Branch, None, "portal:branch_list", dashboard=False))
        register(RecordType("portal.department", "科室测站", Department, None, "portal:department_list", dashboard=False))
        register(RecordType("portal.person", "人员", Person, None, "portal:person_list", dashboard=False))

        register_nav(
            NavArea(
                key="org",
                label="组织机构",
                order=90,
                links=(("党支部", "portal:branch_list"), ("科室测站", "portal:department_list"), ("人员", "portal:person_list")),
            )
        )
        register_nav(
            NavArea(
                key="ledger",
                label="台账导入导出",
                order=50,
                links=(("导入台账", "ledger:import", (Role.OFFICE,)), ("导出台账", "ledger:export")),
                roles=(Role.OFFICE, Role.LEADER),
            )
        )
        register_seal()
