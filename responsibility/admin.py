from django.apps import apps
from django.contrib import admin

from portal.admin import RecordAdmin
from portal.models import Record

from .models import LetterEvent, LetterSignature, ReminderLog, ResponsibilityLetter


@admin.register(ResponsibilityLetter)
class ResponsibilityLetterAdmin(RecordAdmin):
    """Even an administrator cannot alter a letter once issued: correct it by revoking."""

    list_display = ("title", "branch", "year", "version", "status", "deleted_at")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or not obj.is_frozen)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or not obj.is_frozen)


class AppendOnlyAdmin(admin.ModelAdmin):
    """Signatures, letter events and reminder logs are evidence: read-only everywhere."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(LetterSignature, AppendOnlyAdmin)
admin.site.register(LetterEvent, AppendOnlyAdmin)
admin.site.register(ReminderLog, AppendOnlyAdmin)

for model in apps.get_app_config("responsibility").get_models():
    if model._meta.model_name.startswith("historical") or admin.site.is_registered(model):
        continue
    admin.site.register(model, RecordAdmin if issubclass(model, Record) else admin.ModelAdmin)
