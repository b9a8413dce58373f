from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _groups(sender: Any, **kwargs: Any) -> None:
    from jixiao.web.roles import ensure_groups

    ensure_groups()


class WebConfig(AppConfig):
    name = "jixiao.web"
    label = "jixiao_web"
    verbose_name = "绩效自评"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The role groups exist in every database, including each test database.
        post_migrate.connect(_groups, sender=self)
