from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Branch, Committee, Department, Person


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
