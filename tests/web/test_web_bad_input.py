"""Bad input through the web: a clear Chinese message each, and nothing changed that should not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from web_helpers import filled_workbook

from jixiao.web import services
from jixiao.web.models import Filing, RecordImport
from jixiao.web.views.account import new_token


def _msgs(resp: Any) -> str:
    return " ".join(str(m) for m in resp.context["messages"])


def _unchanged(filing: Filing) -> None:
    fresh = Filing.objects.get(pk=filing.pk)
    assert fresh.revision == filing.revision
    assert fresh.facts_name == filing.facts_name
    assert fresh.evaluation_json == filing.evaluation_json
    assert not list(services.filing_dir(filing.pk).glob("facts.*"))


def _post_facts(c: Client, filing: Filing, upload: Any, revision: int | None = None) -> str:
    rev = filing.revision if revision is None else revision
    resp = c.post(f"/filings/{filing.pk}/facts/", {"file": upload, "revision": rev}, follow=True)
    return _msgs(resp)


@pytest.mark.parametrize(
    ("name", "content", "expect"),
    [
        ("基础数据.xlsx", "这不是工作簿".encode() * 10, "不是 Excel 工作簿"),
        ("基础数据.txt", b"hello", "不是可接受的填报工作簿"),
        ("基础数据.xlsx", b"", "空文件"),
        ("基础数据.xlsx", b"PK\x03\x04broken zip", "无法打开 Excel 文件"),
    ],
)
def test_not_a_workbook(
    task_world: dict[str, Any],
    client_for: Callable[[str | None], Client],
    name: str,
    content: bytes,
    expect: str,
) -> None:
    f1: Filing = task_world["f1"]
    msg = _post_facts(client_for("editor"), f1, SimpleUploadedFile(name, content))
    assert expect in msg and "上传失败" in msg, msg
    assert "jixiao-upload-" not in msg  # names the user's file, not our temporary copy
    _unchanged(f1)


def test_workbook_with_broken_rows(
    task_world: dict[str, Any], client_for: Callable[[str | None], Client], tmp_path: Path
) -> None:
    f1: Filing = task_world["f1"]
    wb = filled_workbook(tmp_path / "基础数据.xlsx", authorised_posts="十个", staff_in_post=-3)
    msg = _post_facts(client_for("editor"), f1, SimpleUploadedFile(wb.name, wb.read_bytes()))
    assert "基础数据.xlsx" in msg and "工作表「基础数据」" in msg, msg
    assert "单元格 F" in msg  # the cell of the bad value
    _unchanged(f1)


def test_huge_upload_refused_before_reading(
    task_world: dict[str, Any], client_for: Callable[[str | None], Client], settings: Any
) -> None:
    settings.JIXIAO_MAX_UPLOAD_BYTES = 10_000
    f1: Filing = task_world["f1"]
    c = client_for("editor")
    big = SimpleUploadedFile("基础数据.xlsx", b"PK\x03\x04" + b"0" * 200_000)
    resp = c.post(f"/filings/{f1.pk}/facts/", {"file": big, "revision": f1.revision})
    assert resp.status_code == 413
    assert "文件过大" in resp.content.decode() and "未作任何更改" in resp.content.decode()
    # just over the limit (inside the middleware's margin): the view says so too
    near = SimpleUploadedFile("基础数据.xlsx", b"PK\x03\x04" + b"0" * 20_000)
    msg = _post_facts(c, f1, near)
    assert "文件过大" in msg, msg
    # the upload page's script asks for JSON
    big.seek(0)
    resp = c.post(
        f"/filings/{f1.pk}/facts/",
        {"file": big, "revision": f1.revision},
        headers={"accept": "application/json"},
    )
    assert resp.status_code == 413 and "文件过大" in resp.json()["detail"]
    _unchanged(f1)


def test_stale_form_is_refused(
    task_world: dict[str, Any], client_for: Callable[[str | None], Client], tmp_path: Path
) -> None:
    f1: Filing = task_world["f1"]
    wb = filled_workbook(tmp_path / "基础数据.xlsx")
    msg = _post_facts(
        client_for("editor"),
        f1,
        SimpleUploadedFile(wb.name, wb.read_bytes()),
        revision=f1.revision + 7,
    )
    assert "页面已过期" in msg, msg
    _unchanged(f1)
    resp = client_for("editor").post(
        f"/filings/{f1.pk}/narrative/",
        {
            "revision": f1.revision + 1,
            "status": "参公事业单位",
            "self_name": "我中心",
            "problems": "旧窗口里的文字",
        },
        follow=True,
    )
    assert "页面已过期" in _msgs(resp)
    assert Filing.objects.get(pk=f1.pk).narrative == {}


def test_narrative_required_field(
    task_world: dict[str, Any], client_for: Callable[[str | None], Client]
) -> None:
    f1: Filing = task_world["f1"]
    resp = client_for("editor").post(
        f"/filings/{f1.pk}/narrative/", {"revision": f1.revision, "status": ""}, follow=True
    )
    assert "表单有误" in _msgs(resp) and "这个字段是必填项" in resp.content.decode()
    assert Filing.objects.get(pk=f1.pk).revision == f1.revision


def test_checklist_yes_needs_evidence(
    task_world: dict[str, Any], client_for: Callable[[str | None], Client]
) -> None:
    f1: Filing = task_world["f1"]
    resp = client_for("editor").post(
        f"/filings/{f1.pk}/checklist/",
        {"revision": f1.revision, "a:1.1.a": "yes", "e:1.1.a": ""},
        follow=True,
    )
    assert "须填写佐证材料" in _msgs(resp)
    assert Filing.objects.get(pk=f1.pk).answers == {}


@pytest.mark.parametrize(
    ("name", "content", "expect"),
    [
        ("cases.parquet", b"not parquet at all", "导入失败"),
        ("records.zip", b"PK\x03\x04 broken", "已损坏"),
        ("cases.doc", b"x", "不是可接受的服务记录文件"),
    ],
)
def test_bad_records_file(
    task_world: dict[str, Any],
    client_for: Callable[[str | None], Client],
    name: str,
    content: bytes,
    expect: str,
) -> None:
    f1: Filing = task_world["f1"]
    before = RecordImport.objects.count()
    resp = client_for("editor").post(
        f"/filings/{f1.pk}/records/",
        {"file": SimpleUploadedFile(name, content), "revision": f1.revision},
        follow=True,
    )
    msg = _msgs(resp)
    assert expect in msg, msg
    assert RecordImport.objects.count() == before
    assert Filing.objects.get(pk=f1.pk).revision == f1.revision


def test_api_push_records_and_errors(task_world: dict[str, Any]) -> None:
    f1: Filing = task_world["f1"]
    c = Client()
    _, key = new_token(task_world["editor"], "办件系统")
    h = {"Authorization": f"Bearer {key}"}
    url = f"/api/filings/{f1.pk}/records"
    resp = c.post(f"{url}/nope", {"rows": [{"a": 1}]}, content_type="application/json", headers=h)
    assert resp.status_code == 400 and "未知的记录表" in resp.json()["detail"]
    resp = c.post(f"{url}/items", {"rows": []}, content_type="application/json", headers=h)
    assert resp.status_code == 400
    item = {
        "item_id": "SX1",
        "name": "营业执照",
        "department": "市场监管局",
        "hall": "市民中心",
        "kind": "行政许可",
        "legal_limit_days": 20,
        "promised_limit_days": 5,
        "must_enter": True,
    }
    bad = {**item, "item_id": "SX2", "legal_limit_days": "二十"}
    resp = c.post(f"{url}/items", {"rows": [item, bad]}, content_type="application/json", headers=h)
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["rows_ok"] == 1 and body["rows_rejected"] == 1
    # numbered by the place in `rows` (rows[1]), not by the line of the CSV it went through
    assert body["rejected"][0]["row"] == 2 and body["rejected"][0]["index"] == 1
    assert body["rejected"][0]["reason"]
    imp = RecordImport.objects.get(pk=body["import_id"])
    assert imp.via == "api"
    assert Filing.objects.get(pk=f1.pk).revision == f1.revision + 1
    # a stale revision from a system is refused like a stale form
    resp = c.post(
        f"{url}/items", {"rows": [item], "revision": 0}, content_type="application/json", headers=h
    )
    assert resp.status_code == 400 and "页面已过期" in resp.json()["detail"]


def test_api_push_refuses_unknown_keys_and_malformed_bodies(task_world: dict[str, Any]) -> None:
    f1: Filing = task_world["f1"]
    c = Client()
    _, key = new_token(task_world["editor"], "办件系统")
    h = {"Authorization": f"Bearer {key}"}
    url = f"/api/filings/{f1.pk}/records/cases"
    case = {
        "case_id": "API20",
        "item_id": "SX010001",
        "channel": "窗口",
        "accepted_at": "2023-05-06 09:00",
        "completd_at": "2023-05-08 09:00",
        "result": "办结",
    }
    before = RecordImport.objects.count()
    resp = c.post(url, {"rows": [case]}, content_type="application/json", headers=h)
    assert resp.status_code == 400, resp.content
    detail = resp.json()["detail"]
    assert "completd_at" in detail and "completed_at（办结时间）" in detail, detail
    assert RecordImport.objects.count() == before
    assert Filing.objects.get(pk=f1.pk).revision == f1.revision
    # Chinese labels are columns too (the importer maps them)
    labelled = {"办件编号": "API21", "事项编码": "SX010001", "受理时间": "2023-05-06 09:00"}
    resp = c.post(url, {"rows": [labelled]}, content_type="application/json", headers=h)
    assert resp.status_code == 200, resp.content
    # a malformed body is explained in Chinese, not in pydantic's English
    resp = c.post(url, {"rows": "x"}, content_type="application/json", headers=h)
    assert resp.status_code == 422
    assert "rows：应为数组（列表）" in resp.json()["detail"], resp.json()
    resp = c.post(url, "{not json", content_type="application/json", headers=h)
    assert resp.status_code in (400, 422)
    assert "不是有效的 JSON" in resp.json()["detail"], resp.json()


def test_workbook_of_another_year_or_framework(
    task_world: dict[str, Any], client_for: Callable[[str | None], Client], tmp_path: Path
) -> None:
    from jixiao.web.models import Task

    f1: Filing = task_world["f1"]
    Task.objects.filter(pk=f1.task_id).update(framework_id="guangdong-dept-2023")
    wb = filled_workbook(tmp_path / "基础数据.xlsx", year=2022)
    msg = _post_facts(client_for("editor"), f1, SimpleUploadedFile(wb.name, wb.read_bytes()))
    assert "评价年度为 2022 年，本任务为 2023 年度" in msg, msg
    _unchanged(f1)
    Task.objects.filter(pk=f1.task_id).update(framework_id="hunan-dept-2021")
    wb = filled_workbook(tmp_path / "基础数据.xlsx")
    msg = _post_facts(client_for("editor"), f1, SimpleUploadedFile(wb.name, wb.read_bytes()))
    assert "本任务使用 hunan-dept-2021" in msg, msg
    _unchanged(f1)


def test_template_download(
    task_world: dict[str, Any], client_for: Callable[[str | None], Client]
) -> None:
    import io

    import openpyxl

    from jixiao.web.models import Task

    f1: Filing = task_world["f1"]
    Task.objects.filter(pk=f1.task_id).update(framework_id="guangdong-dept-2023")
    resp = client_for("editor").get(f"/filings/{f1.pk}/template.xlsx")
    assert resp.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(resp.content))
    assert "基础数据" in wb.sheetnames
    assert client_for("other_editor").get(f"/filings/{f1.pk}/template.xlsx").status_code == 404
