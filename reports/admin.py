from django.apps import apps
from django.contrib import admin
from django.core.exceptions import PermissionDenied

from portal.admin import ReadOnlyAdmin, RecordAdmin
from portal.models import Record

from .models import AnnualReport, ReportFreeze


@admin.register(AnnualReport)
class AnnualReportAdmin(RecordAdmin):
    """A report is made final or reopened only through its page (reports.services),
    and a final report's text is frozen: not here, and never by a history revert."""

    list_display = ("year", "title", "committee", "status", "deleted_at")
    readonly_fields = ("status",)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj is not None and obj.is_final)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj is not None and obj.is_final)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history saves a POSTed revert after asking only for the historical
        # row's permissions; a revert could make a draft "final" without its freeze.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


# ReportFreeze rows are written once by reports.services and checked by their audit chain.
# Builds (their sealed files and hashes) are written only by reports.services: shown, never edited.
for model in apps.get_app_config("reports").get_models():
    if model._meta.model_name.startswith("historical") or model is ReportFreeze or admin.site.is_registered(model):
        continue
    admin.site.register(model, RecordAdmin if issubclass(model, Record) else ReadOnlyAdmin)
