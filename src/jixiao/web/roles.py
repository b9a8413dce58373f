"""Roles as Django auth groups, and the scoping rules: who may see and change what.

The permission says what a role may do; the profile says where (which unit or bureau). A unit's
people reach only their own unit's filings (anything else is a 404, so nothing leaks); a bureau's
reviewers reach the filings of their bureau's units.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.http import Http404, HttpRequest

from jixiao.web.models import Bureau, Filing, Profile, Task, Unit

UNIT_EDITOR = "单位填报人"
UNIT_APPROVER = "单位负责人"
BUREAU_REVIEWER = "财政局审核人"
ADMIN = "管理员"

ROLE_PERMISSIONS: dict[str, list[str]] = {
    UNIT_EDITOR: ["edit_filing"],
    UNIT_APPROVER: ["edit_filing", "submit_filing"],
    BUREAU_REVIEWER: ["review_filing", "publish_filing", "open_task"],
    ADMIN: ["edit_filing", "submit_filing", "review_filing", "publish_filing", "open_task"],
}


def ensure_groups() -> dict[str, Group]:
    """Create the role groups with their permissions (idempotent; run after migrations)."""
    groups: dict[str, Group] = {}
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = Permission.objects.filter(
            content_type__app_label="jixiao_web", codename__in=codenames
        )
        group.permissions.set(perms)
        groups[name] = group
    return groups


def profile_of(user: Any) -> Profile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def user_unit(user: Any) -> Unit | None:
    p = profile_of(user)
    return p.unit if p else None


def user_bureau(user: Any) -> Bureau | None:
    p = profile_of(user)
    if p is None:
        return None
    return p.bureau or (p.unit.bureau if p.unit else None)


def role_names(user: Any) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return []
    names = list(user.groups.values_list("name", flat=True))
    if user.is_superuser and ADMIN not in names:
        names.append(ADMIN)
    return names


def is_reviewer(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_perm("jixiao_web.review_filing")
        and (user.is_superuser or (user_bureau(user) is not None and user_unit(user) is None))
    )


def visible_filings(user: Any):  # -> QuerySet[Filing]
    """The filings a person may see at all."""
    qs = Filing.objects.select_related("task", "unit", "task__bureau")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.is_superuser:
        return qs
    unit = user_unit(user)
    if unit is not None:
        return qs.filter(unit=unit)
    bureau = user_bureau(user)
    if bureau is not None and user.has_perm("jixiao_web.review_filing"):
        return qs.filter(task__bureau=bureau)
    return qs.none()


def visible_tasks(user: Any):  # -> QuerySet[Task]
    if not getattr(user, "is_authenticated", False):
        return Task.objects.none()
    if user.is_superuser:
        return Task.objects.all()
    bureau = user_bureau(user)
    return Task.objects.filter(bureau=bureau) if bureau else Task.objects.none()


def get_filing(user: Any, pk: int) -> Filing:
    """The filing if the person may see it, else 404 (never revealing another unit's work)."""
    try:
        return visible_filings(user).get(pk=pk)
    except Filing.DoesNotExist as exc:
        raise Http404("没有找到该填报") from exc


def can_edit(user: Any, filing: Filing) -> bool:
    return user.has_perm("jixiao_web.edit_filing") and (
        user.is_superuser or user_unit(user) == filing.unit
    )


def can_submit(user: Any, filing: Filing) -> bool:
    return user.has_perm("jixiao_web.submit_filing") and (
        user.is_superuser or user_unit(user) == filing.unit
    )


def can_review(user: Any, filing: Filing) -> bool:
    return user.has_perm("jixiao_web.review_filing") and (
        user.is_superuser or (user_unit(user) is None and user_bureau(user) == filing.task.bureau)
    )


def can_open_task(user: Any, bureau: Bureau) -> bool:
    return user.has_perm("jixiao_web.open_task") and (
        user.is_superuser or (user_unit(user) is None and user_bureau(user) == bureau)
    )


def context(request: HttpRequest) -> dict[str, Any]:
    """Template context: the person's roles and where they belong."""
    user = getattr(request, "user", AnonymousUser())
    return {
        "roles": role_names(user),
        "my_unit": user_unit(user),
        "my_bureau": user_bureau(user),
        "is_reviewer": is_reviewer(user),
    }
