from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports.assessment"
    label = "assessment"
    verbose_name = "年度考核"

    def ready(self):
        from portal.registry import NavArea, RecordType, register, register_nav

        from . import models as m
        from . import renderers, rules, selectors, services

        # Evidence (portal.attachments) hangs on records of a registered type; these
        # have no pages of their own (their assessment's page shows them).
        register(RecordType("assessment.item", "考核得分项", m.AssessmentItem, None, None, dashboard=False,
                            writers=rules.item_writers, queryset=selectors.items_visible_to))
        register(RecordType("assessment.rectification", "整改事项", m.Rectification, None, None, dashboard=False,
                            writers=rules.rectification_writers, queryset=selectors.rectifications_visible_to))
        from portal.seal.issuing import register_describer
        from reports.binder.items import register_items_source

        from .binder import assessment_items

        register_items_source(assessment_items)

        from portal.signals import parent_changed

        parent_changed.connect(services.child_joined, dispatch_uid="assessment.child_joined")

        register_describer(renderers.RANKING_KIND, selectors.describe_ranking)
        register_nav(NavArea(key="assessment", label="年度考核", order=45,
                             links=(("本单位考核", "assessment:mine", "assessment.mine"),
                                    ("考核下级", "assessment:index", "assessment.rubrics")),
                             rule="assessment.nav"))
