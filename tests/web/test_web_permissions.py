"""Every role against every page and API endpoint it must not reach (and the ones it must)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from jixiao.web.models import Filing, Submission, SubmissionFile
from jixiao.web.views.account import new_token

ROLES = [
    None,
    "editor",
    "approver",
    "other_editor",
    "other_approver",
    "reviewer",
    "other_reviewer",
    "nobody",
    "admin",
]

LOGIN = "login"  # expected: redirect to the sign-in page


def _urls(w: dict[str, Any]) -> dict[str, str]:
    f1, sub, sf, imp = w["f1"].pk, w["sub"].pk, w["file"].pk, w["import"].pk
    return {
        "filing": f"/filings/{f1}/",
        "evaluation": f"/filings/{f1}/evaluation/",
        "checklist": f"/filings/{f1}/checklist/",
        "narrative": f"/filings/{f1}/narrative/",
        "preview": f"/filings/{f1}/preview/",
        "dashboard": f"/filings/{f1}/dashboard/",
        "rejected": f"/filings/{f1}/imports/{imp}/rejected.csv",
        "submission": f"/submissions/{sub}/",
        "submission_file": f"/submissions/{sub}/files/{sf}/",
        "bureau": "/bureau/",
        "task": f"/bureau/tasks/{w['task'].pk}/",
        "task_new": "/bureau/tasks/new/",
        "filings": "/filings/",
        "tokens": "/tokens/",
    }


# What each role gets on each page of unit A1's filing (bureau A).
UNIT_PAGES = [
    "filing",
    "evaluation",
    "checklist",
    "narrative",
    "preview",
    "dashboard",
    "rejected",
    "submission",
    "submission_file",
]
READERS = {"editor", "approver", "reviewer", "admin"}


def _expect_get(role: str | None, page: str) -> int | str:
    if role is None:
        return LOGIN
    if page in UNIT_PAGES:
        return 200 if role in READERS else 404
    if page in ("bureau", "task", "task_new"):
        if role in ("reviewer", "admin"):
            return 200
        if role == "other_reviewer":
            return 404 if page == "task" else 200
        return 403
    return 200  # filings, tokens: own lists, empty for people without a unit


@pytest.mark.parametrize("role", ROLES)
def test_get_pages(
    task_world: dict[str, Any], client_for: Callable[[str | None], Client], role: str | None
) -> None:
    c = client_for(role)
    for page, url in _urls(task_world).items():
        want = _expect_get(role, page)
        resp = c.get(url)
        if want == LOGIN:
            assert resp.status_code == 302 and "/login/" in resp["Location"], (role, page)
        else:
            # task_new renders for the reviewer even before frameworks exist (with a message)
            assert resp.status_code == want, (role, page, resp.status_code)


def test_unit_lists_show_only_own_unit(
    task_world: dict[str, Any], client_for: Callable[[str | None], Client]
) -> None:
    body = client_for("other_editor").get("/filings/").content.decode()
    assert "甲市12345热线中心" in body and "甲市政务服务中心" not in body
    body = client_for("nobody").get("/filings/").content.decode()
    assert "甲市" not in body


def _post_expectations() -> list[tuple[str, str, dict[str, int | str]]]:
    """(action, url key, role → expected status) for every state-changing endpoint."""
    base = {"other_editor": 404, "other_approver": 404, "other_reviewer": 404, "nobody": 404}
    return [
        ("upload_facts", "facts", {**base, "reviewer": 403}),
        ("upload_records", "records", {**base, "reviewer": 403}),
        ("checklist", "checklist", {**base, "reviewer": 403}),
        ("narrative", "narrative", {**base, "reviewer": 403}),
        ("submit", "submit", {**base, "editor": 403, "reviewer": 403}),
        ("return", "return", {**base, "editor": 403, "approver": 403}),
        ("accept", "accept", {**base, "editor": 403, "approver": 403}),
        ("publish", "publish", {**base, "editor": 403, "approver": 403}),
        (
            "task_new",
            "task_new",
            {"editor": 403, "approver": 403, "other_editor": 403, "nobody": 403},
        ),
    ]


@pytest.mark.parametrize(("action", "key", "expect"), _post_expectations())
def test_posts_refused(
    task_world: dict[str, Any],
    client_for: Callable[[str | None], Client],
    action: str,
    key: str,
    expect: dict[str, int],
) -> None:
    w = task_world
    f1, sub = w["f1"].pk, w["sub"].pk
    url = {
        "facts": f"/filings/{f1}/facts/",
        "records": f"/filings/{f1}/records/",
        "checklist": f"/filings/{f1}/checklist/",
        "narrative": f"/filings/{f1}/narrative/",
        "submit": f"/filings/{f1}/submit/",
        "return": f"/submissions/{sub}/return/",
        "accept": f"/submissions/{sub}/accept/",
        "publish": f"/submissions/{sub}/publish/",
        "task_new": "/bureau/tasks/new/",
    }[key]
    before = (Filing.objects.get(pk=f1).revision, Submission.objects.get(pk=sub).status)
    for role, status in {None: LOGIN, **expect}.items():
        resp = client_for(role).post(url, {"revision": 0, "comment": "x"})
        if status == LOGIN:
            assert resp.status_code == 302 and "/login/" in resp["Location"], (role, action)
        else:
            assert resp.status_code == status, (role, action, resp.status_code)
    after = (Filing.objects.get(pk=f1).revision, Submission.objects.get(pk=sub).status)
    assert after == before, action


def test_csrf_is_enforced(task_world: dict[str, Any]) -> None:
    c = Client(enforce_csrf_checks=True)
    c.force_login(task_world["reviewer"])
    resp = c.post(f"/submissions/{task_world['sub'].pk}/accept/", {"comment": ""})
    assert resp.status_code == 403
    assert Submission.objects.get(pk=task_world["sub"].pk).status == "submitted"


def test_admin_site_only_for_admin(
    task_world: dict[str, Any], client_for: Callable[[str | None], Client]
) -> None:
    for role in ("editor", "approver", "reviewer", "nobody"):
        resp = client_for(role).get("/admin/")
        assert resp.status_code == 302 and "/admin/login/" in resp["Location"], role
    assert client_for("admin").get("/admin/").status_code == 200
    # frozen records are read-only even for the admin
    sub = task_world["sub"].pk
    resp = client_for("admin").post(f"/admin/jixiao_web/submission/{sub}/delete/", {"post": "yes"})
    assert resp.status_code == 403
    assert Submission.objects.filter(pk=sub).exists()


def test_public_sees_only_published(
    task_world: dict[str, Any], client_for: Callable[[str | None], Client]
) -> None:
    c = client_for(None)
    f: SubmissionFile = task_world["file"]
    assert c.get(f"/public/files/{f.pk}/{f.name}").status_code == 404
    assert c.get("/public/bureau-a/2023/").status_code == 404
    assert c.get(f"/public/submissions/{task_world['sub'].pk}/SHA256SUMS").status_code == 404
    assert c.get("/api/public/bureau-a/2023").json() == []


# ---------------------------------------------------------------- API


def _bearer(user: Any) -> dict[str, str]:
    _, key = new_token(user, "测试")
    return {"Authorization": f"Bearer {key}"}


def test_api_requires_auth(task_world: dict[str, Any]) -> None:
    c = Client()
    f1 = task_world["f1"].pk
    for url in (
        "/api/filings",
        f"/api/filings/{f1}",
        f"/api/filings/{f1}/evaluation",
        f"/api/filings/{f1}/kpis",
    ):
        assert c.get(url).status_code == 401, url
    assert c.get("/api/filings", headers={"Authorization": "Bearer jx_wrong"}).status_code == 401
    resp = c.post(
        f"/api/filings/{f1}/records/cases", {"rows": [{}]}, content_type="application/json"
    )
    assert resp.status_code == 401


@pytest.mark.parametrize("role", ["other_editor", "other_approver", "other_reviewer", "nobody"])
def test_api_other_units_are_invisible(task_world: dict[str, Any], role: str) -> None:
    c = Client()
    h = _bearer(task_world[role])
    f1 = task_world["f1"].pk
    ids = [f["id"] for f in c.get("/api/filings", headers=h).json()]
    assert f1 not in ids
    for url in (f"/api/filings/{f1}", f"/api/filings/{f1}/evaluation", f"/api/filings/{f1}/kpis"):
        assert c.get(url, headers=h).status_code == 404, (role, url)
    resp = c.post(
        f"/api/filings/{f1}/records/cases",
        {"rows": [{"case_id": "x"}]},
        content_type="application/json",
        headers=h,
    )
    assert resp.status_code == 404


def test_api_reads_for_allowed_roles(task_world: dict[str, Any]) -> None:
    c = Client()
    f1 = task_world["f1"].pk
    for role in ("editor", "approver", "reviewer", "admin"):
        h = _bearer(task_world[role])
        assert f1 in [f["id"] for f in c.get("/api/filings", headers=h).json()], role
        ev = c.get(f"/api/filings/{f1}/evaluation", headers=h)
        assert ev.status_code == 200 and ev.json()["total"]["score"] == 85, role


def test_api_reviewer_cannot_push_records(task_world: dict[str, Any]) -> None:
    c = Client()
    f1 = task_world["f1"]
    before = f1.revision
    resp = c.post(
        f"/api/filings/{f1.pk}/records/cases",
        {"rows": [{"case_id": "x"}]},
        content_type="application/json",
        headers=_bearer(task_world["reviewer"]),
    )
    assert resp.status_code == 403
    assert Filing.objects.get(pk=f1.pk).revision == before


def test_api_session_auth_needs_csrf(task_world: dict[str, Any]) -> None:
    c = Client(enforce_csrf_checks=True)
    c.force_login(task_world["editor"])
    assert c.get("/api/filings").status_code == 200
    resp = c.post(
        f"/api/filings/{task_world['f1'].pk}/records/cases",
        {"rows": [{}]},
        content_type="application/json",
    )
    assert resp.status_code == 403


def test_openapi_schema(db: Any) -> None:
    schema = Client().get("/api/openapi.json").json()
    assert "/api/filings/{filing_id}/records/{table}" in schema["paths"]
    assert "BearerToken" in schema["components"]["securitySchemes"]


def test_reviewer_sees_auditor_findings(
    task_world: dict[str, Any], client_for: Callable[[str | None], Client]
) -> None:
    import json

    finding = {
        "code": "SUM_MISMATCH",
        "severity": "error",
        "message": "分项之和与合计不符",
        "line": 12,
        "column": 3,
        "excerpt": "支出合计1077.96万元",
        "stated": "1077.96",
        "expected": "1077.95",
    }
    Submission.objects.filter(pk=task_world["sub"].pk).update(
        audit_json=json.dumps({"file": "report.pdf", "verdict": "error", "findings": [finding]})
    )
    page = client_for("reviewer").get(f"/submissions/{task_world['sub'].pk}/").content.decode()
    assert "SUM_MISMATCH" in page and "分项之和与合计不符" in page and "应为 1077.95" in page
    task_page = client_for("reviewer").get(f"/bureau/tasks/{task_world['task'].pk}/")
    assert "1 条" in task_page.content.decode()


def test_bureau_overview_counts_statuses(
    task_world: dict[str, Any], client_for: Callable[[str | None], Client]
) -> None:
    Filing.objects.filter(pk=task_world["f1"].pk).update(status="submitted")
    page = client_for("reviewer").get("/bureau/").content.decode()
    assert "已提交 1" in page and "填报中 1" in page
    assert "甲财绩〔2024〕1号" in page
    assert "甲财绩" not in client_for("other_reviewer").get("/bureau/").content.decode()
