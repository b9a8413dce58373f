"""Django admin for the admin role: people, units, bureaus, tasks; frozen data is read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from jixiao.web.models import (
    ApiToken,
    Bureau,
    Event,
    Filing,
    Profile,
    RecordImport,
    Submission,
    SubmissionFile,
    Task,
    Unit,
)

admin.site.register(Bureau)
admin.site.register(Unit, list_display=("name", "bureau", "slug"))
admin.site.register(Profile, list_display=("user", "unit", "bureau"))
admin.site.register(Task, list_display=("year", "title", "notice_number", "bureau", "deadline"))
admin.site.register(Filing, list_display=("unit", "task", "status", "updated_at"))
admin.site.register(RecordImport, list_display=("filing", "filename", "rows_ok", "rows_rejected"))
admin.site.register(ApiToken, list_display=("name", "user", "prefix", "created_at", "last_used_at"))
admin.site.register(Event, list_display=("at", "filing", "actor", "action"))


class ReadOnly(admin.ModelAdmin):
    """Frozen records: visible to the admin, never editable or deletable through the admin."""

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: Any) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(ReadOnly):
    list_display = (
        "filing",
        "version",
        "status",
        "score",
        "grade",
        "bundle_sha256",
        "published_at",
    )


@admin.register(SubmissionFile)
class SubmissionFileAdmin(ReadOnly):
    list_display = ("submission", "kind", "name", "size", "sha256")
    exclude = ("content",)
