from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .forms import RecordRules
from .models import Attachment, Branch, Committee, Department, Notification, Person
from .services import committee_set_parent


class RecordAdmin(SimpleHistoryAdmin):
    """Admin for committee records: shows trashed rows too, marked as such. Its
    forms apply the record's rules as the portal's forms do (``clean()`` through
    the model form, ``clean_m2m()`` through :class:`~portal.forms.RecordRules`)."""

    list_filter = ("committee",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # as the portal's own forms

    def get_queryset(self, request):
        return self.model.all_objects.get_queryset()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (RecordRules, form), {})


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only through their services, or kept as evidence: shown, never
    added, changed or deleted here, and no bulk action."""

    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyRecordAdmin(ReadOnlyAdmin, RecordAdmin):
    """A read-only record (letters, attachments): no history revert either."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history saves a POSTed revert after asking only for the *historical*
        # row's permissions, so a revert is refused here before it gets that far.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "short_name", "unit_name", "parent")
    prepopulated_fields = {"slug": ("name",)}

    def save_model(self, request, obj, form, change):
        """A new parent goes through committee_set_parent (the cycle check, under a lock, and
        its history line); the form's clean() has already given the same reason up front."""
        parent = obj.parent
        if not change or "parent" not in form.changed_data:
            return super().save_model(request, obj, form, change)
        obj.parent_id = Committee.objects.values_list("parent_id", flat=True).get(pk=obj.pk)
        super().save_model(request, obj, form, change)
        committee_set_parent(committee=obj, parent=parent, user=request.user)
        obj.refresh_from_db()


@admin.register(Branch)
class BranchAdmin(RecordAdmin):
    list_display = ("name", "committee", "secretary", "member_count", "deleted_at")


@admin.register(Department)
class DepartmentAdmin(RecordAdmin):
    list_display = ("name", "kind", "committee", "branch", "head", "deleted_at")


@admin.register(Person)
class PersonAdmin(RecordAdmin):
    list_display = ("name", "title", "committee", "branch", "role", "is_committee_member", "is_secretary", "user", "deleted_at")
    list_filter = ("committee", "role", "is_committee_member")
    search_fields = ("name",)


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyRecordAdmin):
    """Files are added and removed through the record pages, whose rules keep a
    frozen record's evidence as it is."""

    list_display = ("original_name", "committee", "content_type", "object_id", "size", "created_at", "deleted_at")
    list_filter = ("committee", "content_type")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Written only by the apps' notification rules; shown here for an e-mail that failed, and why."""

    list_display = ("created_at", "recipient", "kind", "email", "read_at")
    list_filter = ("committee", "kind", "email")
    search_fields = ("recipient__name", "message")
