from django.apps import apps
from django.contrib import admin
from django.core.exceptions import PermissionDenied

from portal.admin import RecordAdmin
from portal.models import Record

from .models import Assignment, LetterDocument, LetterEvent, LetterSignature, ReminderLog, ResponsibilityLetter
from .services import APPOINT_SELF


@admin.register(ResponsibilityLetter)
class ResponsibilityLetterAdmin(RecordAdmin):
    """Read-only: letters are written only through the letter services (the portal's pages
    and the ledger import), which apply the lifecycle table and write the event. No
    change form, no history revert, no delete, no bulk action, for drafts too."""

    list_display = ("title", "branch", "year", "version", "status", "deleted_at")
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history saves a POSTed revert after asking only for the *historical*
        # row's permissions, so a revert is refused here before it gets that far.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class AppendOnlyAdmin(admin.ModelAdmin):
    """Signatures, letter events, sealed letter PDFs and reminder logs are evidence: read-only everywhere."""

    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(LetterSignature, AppendOnlyAdmin)
admin.site.register(LetterEvent, AppendOnlyAdmin)
admin.site.register(LetterDocument, AppendOnlyAdmin)
admin.site.register(ReminderLog, AppendOnlyAdmin)


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
