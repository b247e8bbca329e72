from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Branch, Committee, Department, Notification, Person


class RecordAdmin(SimpleHistoryAdmin):
    """Admin for committee records: shows trashed rows too, marked as such."""

    list_filter = ("committee",)

    def get_queryset(self, request):
        return self.model.all_objects.get_queryset()


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "short_name", "unit_name")
    prepopulated_fields = {"slug": ("name",)}


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


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows only a service writes: the admin shows them and changes nothing."""

    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Written only by the apps' notification rules; shown here for an e-mail that failed, and why."""

    list_display = ("created_at", "recipient", "kind", "email", "read_at")
    list_filter = ("committee", "kind", "email")
    search_fields = ("recipient__name", "message")
