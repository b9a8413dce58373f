"""The demo loaded on first start: one bureau, three units, their people and their data.

Passwords are random, printed by ``jixiao serve`` and kept in ``<data dir>/demo-passwords.txt``
(readable by the owner only) so that they can be looked up again.
"""

from __future__ import annotations

import datetime as dt
import secrets
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from jixiao.web import roles, services, workflow
from jixiao.web.models import Bureau, Profile, Unit

BUREAU = ("示例市财政局", "demo-bureau", "示例市")
# Each demo unit starts from the bundled service-centre example (its framework binds service
# indicators to KPIs) and gets its own synthetic records, so scores and dashboards differ.
EXAMPLE = "guangdong-service-centre"
FRAMEWORK = "guangdong-dept-2023"
UNITS = [
    ("示例市政务服务中心", "demo-centre", EXAMPLE),
    ("示例市12345热线服务中心", "demo-hotline", EXAMPLE),
    ("示例市行政审批服务局", "demo-approval", EXAMPLE),
]
NOTICE = ("示财绩〔{next}〕1号", "关于开展{year}年度部门整体支出绩效自评工作的通知")


def passwords_file() -> Path:
    return Path(settings.DATA_DIR) / "demo-passwords.txt"


def _user(username: str, name: str, group: str, password: str, **where: object) -> None:
    user = User.objects.create_user(username=username, password=password, first_name=name)
    user.groups.add(roles.ensure_groups()[group])
    Profile.objects.create(user=user, **where)


def load_people() -> list[tuple[str, str, str]] | None:
    """Create the demo bureau, units and accounts once; (username, role, password) or None."""
    if Bureau.objects.exists() or User.objects.exists():
        return None
    rows: list[tuple[str, str, str]] = []

    def pw() -> str:
        return secrets.token_urlsafe(9)

    with transaction.atomic():
        bureau = Bureau.objects.create(name=BUREAU[0], slug=BUREAU[1], region=BUREAU[2])
        p = pw()
        User.objects.create_superuser("admin", password=p, first_name="系统管理员")
        rows.append(("admin", roles.ADMIN, p))
        p = pw()
        _user("reviewer", "财政局审核人", roles.BUREAU_REVIEWER, p, bureau=bureau)
        rows.append(("reviewer", roles.BUREAU_REVIEWER, p))
        for i, (name, slug, _) in enumerate(UNITS, start=1):
            unit = Unit.objects.create(bureau=bureau, name=name, slug=slug)
            for role, suffix in ((roles.UNIT_EDITOR, "editor"), (roles.UNIT_APPROVER, "approver")):
                p = pw()
                _user(f"unit{i}-{suffix}", f"{name}{role}", role, p, unit=unit)
                rows.append((f"unit{i}-{suffix}", f"{role} · {name}", p))
    path = passwords_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{u}\t{r}\t{p}\n" for u, r, p in rows), encoding="utf-8")
    path.chmod(0o600)
    return rows


def load_data(year: int = 2023) -> list[str]:
    """Open a task and fill each demo unit from the bundled examples and synthetic records.

    Returns what could not be loaded (messages), so the caller can say so; nothing is faked.
    """
    problems: list[str] = []
    bureau = Bureau.objects.get(slug=BUREAU[1])
    if bureau.tasks.exists():
        return problems
    admin = User.objects.filter(is_superuser=True).first()
    try:
        frameworks = services.framework_choices()
    except Exception as exc:  # the demo must not stop the server from starting
        return [f"未能下达示例任务：{exc}"]
    framework_id = next(
        (fid for fid, _ in frameworks if "dept" in fid), frameworks[0][0] if frameworks else None
    )
    if framework_id is None:
        return ["未能下达示例任务：没有可用的指标体系"]
    task = workflow.open_task(
        bureau,
        admin,
        year=year,
        notice_number=NOTICE[0].format(next=year + 1),
        title=NOTICE[1].format(year=year),
        framework_id=framework_id,
        deadline=dt.date.today() + dt.timedelta(days=60),
    )
    for seed, (name, slug, example) in enumerate(UNITS, start=1):
        filing = task.filings.get(unit__slug=slug)
        try:
            example_dir = services.example_path(example)
            facts = services.example_facts_file(example_dir)
            if facts is not None:
                workflow.save_facts(filing.pk, admin, facts, facts.name, filing.revision)
                filing.refresh_from_db()
        except Exception as exc:  # the demo must not stop the server from starting
            problems.append(f"{name}：未能载入示例填报数据（{exc}）")
        try:
            with tempfile.TemporaryDirectory() as tmp:
                services.synthesize_records(Path(tmp), year=year, seed=seed)
                workflow.import_records(filing.pk, admin, Path(tmp), "示例服务记录（合成）", None)
        except Exception as exc:  # the demo must not stop the server from starting
            problems.append(f"{name}：未能生成示例服务记录（{exc}）")
    return problems
