from django.apps import apps
from django.contrib import admin

from portal.admin import ReadOnlyAdmin, ReadOnlyRecordAdmin, RecordAdmin
from portal.models import Record

from .models import Assignment, LetterDocument, LetterEvent, LetterSignature, ResponsibilityLetter
from .services import APPOINT_SELF


@admin.register(ResponsibilityLetter)
class ResponsibilityLetterAdmin(ReadOnlyRecordAdmin):
    """Read-only: letters are written only through the letter services (the portal's pages
    and the ledger import), which apply the lifecycle table and write the event. No
    change form, no history revert, no delete, no bulk action, for drafts too."""

    list_display = ("title", "branch", "year", "version", "status", "deleted_at")


# Signatures, letter events and sealed letter PDFs are evidence: read-only everywhere.
admin.site.register(LetterSignature, ReadOnlyAdmin)
admin.site.register(LetterEvent, ReadOnlyAdmin)
admin.site.register(LetterDocument, ReadOnlyAdmin)


@admin.register(Assignment)
class AssignmentAdmin(RecordAdmin):
    """A 责任分工 row that names a letter signer is never written by that signer: the
    change form, the add form and simple_history's revert all validate through here."""

    list_display = ("year", "person", "kind", "branch", "committee", "deleted_at")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        user = request.user

        class AppointmentForm(form):
            def _post_clean(self):
                super()._post_clean()
                if self.instance.appoints(user):
                    self.add_error(None, str(APPOINT_SELF))

        return AppointmentForm


for model in apps.get_app_config("responsibility").get_models():
    if model._meta.model_name.startswith("historical") or admin.site.is_registered(model):
        continue
    admin.site.register(model, RecordAdmin if issubclass(model, Record) else admin.ModelAdmin)
