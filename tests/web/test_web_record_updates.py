"""A later export that completes a case already imported open updates it, and the web says so."""

from __future__ import annotations

from typing import Any

from django.test import Client

from jixiao.web.models import RecordImport
from jixiao.web.views.account import new_token

ITEM = {
    "item_id": "SX1",
    "name": "营业执照",
    "department": "市场监管局",
    "hall": "市民中心",
    "kind": "行政许可",
    "legal_limit_days": 20,
    "promised_limit_days": 5,
    "must_enter": True,
}
OPEN_CASE = {
    "case_id": "BJ1",
    "item_id": "SX1",
    "department": "市场监管局",
    "hall": "市民中心",
    "channel": "window",
    "accepted_at": "2023-05-04 09:00:00",
}


def _push(client: Client, url: str, table: str, rows: list[dict], key: str) -> dict[str, Any]:
    resp = client.post(
        f"{url}/{table}",
        {"rows": rows},
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert resp.status_code == 200, resp.content
    return resp.json()


def test_a_case_completed_after_its_first_export_is_updated(task_world: dict[str, Any]) -> None:
    f1 = task_world["f1"]
    _, key = new_token(task_world["editor"], "办件系统")
    client = Client()
    url = f"/api/filings/{f1.pk}/records"
    assert _push(client, url, "items", [ITEM], key)["rows_ok"] == 1
    first = _push(client, url, "cases", [OPEN_CASE], key)
    assert (first["rows_ok"], first["rows_updated"], first["rows_rejected"]) == (1, 0, 0)

    done = {**OPEN_CASE, "completed_at": "2023-05-09 16:00:00", "result": "approved"}
    later = _push(client, url, "cases", [done], key)
    assert (later["rows_ok"], later["rows_updated"], later["rows_rejected"]) == (0, 1, 0)
    assert RecordImport.objects.get(pk=later["import_id"]).rows_updated == 1

    # A conflicting change (another acceptance time) is still set aside, not applied.
    moved = {**done, "accepted_at": "2023-05-05 09:00:00"}
    conflict = _push(client, url, "cases", [moved], key)
    assert (conflict["rows_updated"], conflict["rows_rejected"]) == (0, 1)
    assert "编号重复但内容不同" in conflict["rejected"][0]["reason"]
