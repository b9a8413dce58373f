"""Django test set-up for the web tests: settings, a throw-away data dir, and the demo people.

DJANGO_SETTINGS_MODULE is set here (not in pyproject) so that other areas' tests run without
Django. ``JIXIAO_TEST_DATABASE_URL`` runs the same tests on another database (the PostgreSQL run
in test_postgres.py sets it).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

_DATA = tempfile.mkdtemp(prefix="jixiao-web-test-")
os.environ.setdefault("JIXIAO_DATA_DIR", _DATA)
os.environ["DJANGO_SETTINGS_MODULE"] = "jixiao.web.settings"
if url := os.environ.get("JIXIAO_TEST_DATABASE_URL"):
    os.environ["DATABASE_URL"] = url
else:
    os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# Password hashing at full strength costs ~0.3 s a user; the tests create many users.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)

import pytest  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.test import Client  # noqa: E402
from web_helpers import PASSWORD, small_evaluation  # noqa: E402

from jixiao.web import roles  # noqa: E402
from jixiao.web.models import Bureau, Profile, Unit  # noqa: E402


@pytest.fixture(autouse=True)
def _files_dir(settings: Any, tmp_path: Path) -> None:
    """Each test's uploaded drafts and record stores in its own folder."""
    settings.JIXIAO_FILES_DIR = tmp_path / "files"


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    """Two bureaus; bureau A has units A1 and A2; one person of each role, plus strangers."""
    groups = roles.ensure_groups()
    a = Bureau.objects.create(name="甲市财政局", slug="bureau-a")
    b = Bureau.objects.create(name="乙市财政局", slug="bureau-b")
    a1 = Unit.objects.create(bureau=a, name="甲市政务服务中心", slug="a1")
    a2 = Unit.objects.create(bureau=a, name="甲市12345热线中心", slug="a2")
    b1 = Unit.objects.create(bureau=b, name="乙市政务服务中心", slug="b1")

    def person(username: str, group: str | None, **where: Any) -> User:
        u = User.objects.create_user(username=username, password=PASSWORD)
        if group:
            u.groups.add(groups[group])
        Profile.objects.create(user=u, **where)
        return u

    people = {
        "editor": person("editor", roles.UNIT_EDITOR, unit=a1),
        "approver": person("approver", roles.UNIT_APPROVER, unit=a1),
        "other_editor": person("other_editor", roles.UNIT_EDITOR, unit=a2),
        "other_approver": person("other_approver", roles.UNIT_APPROVER, unit=a2),
        "reviewer": person("reviewer", roles.BUREAU_REVIEWER, bureau=a),
        "other_reviewer": person("other_reviewer", roles.BUREAU_REVIEWER, bureau=b),
        "nobody": person("nobody", None),
    }
    admin = User.objects.create_superuser("admin", password=PASSWORD)
    people["admin"] = admin
    return {"bureau": a, "other_bureau": b, "a1": a1, "a2": a2, "b1": b1, **people}


@pytest.fixture
def client_for(world: dict[str, Any]) -> Callable[[str | None], Client]:
    def make(who: str | None) -> Client:
        c = Client()
        if who is not None:
            c.force_login(world[who])
        return c

    return make


@pytest.fixture
def task_world(world: dict[str, Any]) -> dict[str, Any]:
    """A task for bureau A with a filing per unit; A1's filing has an evaluation and a
    frozen submission (made directly through the models, for the permission tests)."""
    import datetime as dt

    from jixiao.web.models import Filing, RecordImport, Submission, SubmissionFile, Task

    task = Task.objects.create(
        bureau=world["bureau"],
        year=2023,
        notice_number="甲财绩〔2024〕1号",
        title="关于开展2023年度部门整体支出绩效自评工作的通知",
        framework_id="test-dept",
        deadline=dt.date(2099, 6, 30),
    )
    f1 = Filing.objects.create(
        task=task, unit=world["a1"], evaluation_json=small_evaluation().to_json()
    )
    f2 = Filing.objects.create(task=task, unit=world["a2"])
    imp = RecordImport.objects.create(
        filing=f1,
        filename="cases.csv",
        sha256="0" * 64,
        rows_ok=1,
        rows_rejected=1,
        rejected=[{"table": "cases", "row": 3, "reason": "受理时间不是有效日期", "values": {}}],
    )
    sub = Submission.objects.create(
        filing=f1,
        version=1,
        score=85,
        grade="良",
        complete=True,
        evaluation_json=f1.evaluation_json,
        bundle_sha256="1" * 64,
    )
    sf = SubmissionFile.objects.create(
        submission=sub,
        kind="report_pdf",
        name="report.pdf",
        content=b"%PDF-1.4 test",
        content_type="application/pdf",
    )
    return {**world, "task": task, "f1": f1, "f2": f2, "import": imp, "sub": sub, "file": sf}
