from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portal.admin import ReadOnlyAdmin, ReadOnlyRecordAdmin

from . import models as m


class ReadOnlyHistoryAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Shown with its history, written only through reports.assessment.services; no revert."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        from django.core.exceptions import PermissionDenied

        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


# Every assessment row goes through the services (their state table and event log):
# the admin shows them and never writes, so a finalised assessment cannot change here.
for model in (m.Rubric, m.RubricItem, m.Assessment):
    admin.site.register(model, ReadOnlyHistoryAdmin)
for model in (m.AssessmentItem, m.Rectification):
    admin.site.register(model, ReadOnlyRecordAdmin)
for model in (m.AssessmentRound, m.AssessmentEvent):
    admin.site.register(model, ReadOnlyAdmin)
