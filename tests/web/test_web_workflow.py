"""The whole workflow through the web, on the real engine, importer, report renderer and auditor:
open a task → upload facts and records → answer, write → submit (frozen, hashed) → return →
correct → resubmit (new version, old kept) → accept → publish (byte-identical, same hash)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from web_helpers import FRAMEWORK, filled_workbook, synthetic_records

from jixiao.web.hashing import bundle_sha256, manifest
from jixiao.web.models import Filing, RecordImport, Submission, Task


def _open_task(c: Client, year: int = 2023) -> Task:
    resp = c.post(
        "/bureau/tasks/new/",
        {
            "year": year,
            "notice_number": "甲财绩〔2024〕4号",
            "title": "关于开展2023年度部门整体支出绩效自评工作的通知",
            "framework_id": FRAMEWORK,
            "deadline": "2099-06-30",
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    return Task.objects.get(notice_number="甲财绩〔2024〕4号")


def test_task_with_a_framework_outside_its_years_is_refused(
    client_for: Callable[[str | None], Client], world: dict[str, Any]
) -> None:
    before = Task.objects.count()
    resp = client_for("reviewer").post(
        "/bureau/tasks/new/",
        {
            "year": 2024,
            "notice_number": "示财绩〔2025〕1号",
            "title": "关于开展2024年度部门整体支出绩效自评工作的通知",
            "framework_id": "hunan-dept-2021",
            "deadline": "2099-06-30",
        },
    )
    assert resp.status_code == 200
    page = resp.content.decode()
    assert "指标体系 hunan-dept-2021 适用于 2021–2023 年度，不适用于 2024 年度" in page, page
    assert "适用 2021–2023 年度" in page  # the choices say each framework's years
    assert Task.objects.count() == before


def _messages(resp: Any) -> str:
    return " ".join(str(m) for m in resp.context["messages"]) if resp.context else ""


def _records_zip(tmp: Path) -> bytes:
    """Synthetic records zipped, plus a cases CSV with one broken row (bad timestamp)."""
    files = synthetic_records(tmp / "rec")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for f in files:
            zf.write(f, f.name)
    return buf.getvalue()


@pytest.fixture
def filled(
    world: dict[str, Any], client_for: Callable[[str | None], Client], tmp_path: Path
) -> dict[str, Any]:
    """Task opened by the reviewer; A1's editor has uploaded facts and records."""
    task = _open_task(client_for("reviewer"))
    filing = Filing.objects.get(task=task, unit=world["a1"])
    editor = client_for("editor")
    wb = filled_workbook(tmp_path / "基础数据.xlsx")
    with wb.open("rb") as fh:
        resp = editor.post(f"/filings/{filing.pk}/facts/", {"file": fh, "revision": 0}, follow=True)
    assert "已上传" in _messages(resp), _messages(resp)
    filing.refresh_from_db()
    archive = tmp_path / "records.zip"
    archive.write_bytes(_records_zip(tmp_path))
    with archive.open("rb") as fh:
        resp = editor.post(
            f"/filings/{filing.pk}/records/", {"file": fh, "revision": filing.revision}, follow=True
        )
    assert "已导入" in _messages(resp), _messages(resp)
    filing.refresh_from_db()
    return {**world, "task": task, "filing": filing, "tmp": tmp_path}


def test_task_opens_a_filing_per_unit(filled: dict[str, Any]) -> None:
    task = filled["task"]
    assert sorted(f.unit.slug for f in task.filings.all()) == ["a1", "a2"]
    assert not Filing.objects.filter(unit=filled["b1"]).exists()


def test_upload_evaluates_with_records(
    filled: dict[str, Any], client_for: Callable[[str | None], Client]
) -> None:
    from jixiao.engine.result import Evaluation

    filing: Filing = filled["filing"]
    assert filing.evaluation_error == ""
    ev = Evaluation.from_json(filing.evaluation_json)
    assert ev.year == 2023 and ev.framework.id == FRAMEWORK
    kpi_inputs = [i for leaf in ev.leaves() for i in leaf.inputs if i.source.kind == "kpi"]
    assert kpi_inputs, "facts bound to KPIs should come from the imported records"
    imp = RecordImport.objects.get(filing=filing)
    assert imp.rows_ok > 0 and set(imp.tables) >= {"cases", "items", "ratings"}
    page = client_for("editor").get(f"/filings/{filing.pk}/evaluation/").content.decode()
    leaf = ev.leaves()[0]
    assert leaf.reason in page and leaf.name in page
    # traces name the user's file, never where the server keeps its copy
    i = page.find("/files/filing-")
    assert i < 0, page[i - 300 : i + 100]
    assert "基础数据.xlsx" in page
    dash = client_for("editor").get(f"/filings/{filing.pk}/dashboard/")
    assert dash.status_code == 200
    series = dash.context["series"]
    assert series and all(len(s["monthly"]) == 12 for s in series)
    assert "vendor/echarts/echarts.min.js" in dash.content.decode()


def test_records_with_broken_rows_are_set_aside_and_downloadable(
    filled: dict[str, Any], client_for: Callable[[str | None], Client]
) -> None:
    filing: Filing = filled["filing"]
    bad = filled["tmp"] / "cases-extra.csv"
    import duckdb

    cases = filled["tmp"] / "rec" / "cases.parquet"
    duckdb.sql(f"COPY (SELECT * FROM '{cases}' LIMIT 5) TO '{bad}' (HEADER)")
    lines = bad.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[2].split(",")
    row[header.index("accepted_at")] = "不是日期"
    row[header.index("case_id")] = "NEW-BROKEN-1"
    lines[2] = ",".join(row)
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    editor = client_for("editor")
    with bad.open("rb") as fh:
        resp = editor.post(
            f"/filings/{filing.pk}/records/", {"file": fh, "revision": filing.revision}, follow=True
        )
    assert "1 行被剔除" in _messages(resp), _messages(resp)
    imp = RecordImport.objects.filter(filing=filing).order_by("-pk").first()
    assert imp.rows_rejected == 1 and imp.rejected[0]["row"] == "3"
    assert "受理时间" in imp.rejected[0]["reason"]
    page = editor.get(f"/filings/{filing.pk}/").content.decode()
    assert imp.rejected[0]["reason"] in page
    csv_resp = editor.get(f"/filings/{filing.pk}/imports/{imp.pk}/rejected.csv")
    assert csv_resp.status_code == 200
    assert "NEW-BROKEN-1" in csv_resp.content.decode("utf-8-sig")
    assert (
        client_for("other_editor")
        .get(f"/filings/{filing.pk}/imports/{imp.pk}/rejected.csv")
        .status_code
        == 404
    )


@pytest.mark.slow
def test_submit_return_correct_accept_publish(
    filled: dict[str, Any], client_for: Callable[[str | None], Client]
) -> None:
    filing: Filing = filled["filing"]
    editor, approver = client_for("editor"), client_for("approver")
    reviewer, public = client_for("reviewer"), client_for(None)

    # the unit writes its narrative and answers a checklist point
    resp = editor.post(
        f"/filings/{filing.pk}/narrative/",
        {
            "revision": filing.revision,
            "status": "参公事业单位",
            "self_name": "我中心",
            "problems": "部分事项网办深度不够",
            "measures": "推进全程网办",
        },
        follow=True,
    )
    assert "已保存" in _messages(resp), _messages(resp)
    filing.refresh_from_db()
    assert filing.narrative["problems"] == ["部分事项网办深度不够"]

    # preview: the report rendered from the current draft, not frozen
    pdf = editor.get(f"/filings/{filing.pk}/preview/report_pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = editor.get(f"/filings/{filing.pk}/preview/score_table/")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert not Submission.objects.filter(filing=filing).exists()

    # the editor may not submit; the approver submits
    assert (
        editor.post(f"/filings/{filing.pk}/submit/", {"revision": filing.revision}).status_code
        == 403
    )
    resp = approver.post(
        f"/filings/{filing.pk}/submit/", {"revision": filing.revision}, follow=True
    )
    assert "已提交第 1 版" in _messages(resp), _messages(resp)
    v1 = Submission.objects.get(filing=filing, version=1)
    kinds = {f.kind for f in v1.files.all()}
    assert kinds >= {
        "report_pdf",
        "report_docx",
        "score_table",
        "data_table",
        "facts",
        "evaluation",
    }
    for f in v1.files.all():
        assert f.sha256 == hashlib.sha256(bytes(f.content)).hexdigest()
    assert v1.bundle_sha256 == bundle_sha256((f.name, f.sha256) for f in v1.files.all())
    assert '"verdict"' in v1.audit_json
    v1_hashes = {f.name: f.sha256 for f in v1.files.all()}
    filing.refresh_from_db()
    assert filing.status == "submitted"

    # double submit and edits after submission change nothing
    resp = approver.post(
        f"/filings/{filing.pk}/submit/", {"revision": filing.revision}, follow=True
    )
    assert "请勿重复提交" in _messages(resp)
    wb = filled_workbook(filled["tmp"] / "again.xlsx")
    with wb.open("rb") as fh:
        resp = editor.post(
            f"/filings/{filing.pk}/facts/", {"file": fh, "revision": filing.revision}, follow=True
        )
    assert "不能修改" in _messages(resp)
    assert Submission.objects.filter(filing=filing).count() == 1

    # the reviewer sees the unit's score and the auditor's verdict, and returns it
    page = reviewer.get(f"/bureau/tasks/{filing.task.pk}/").content.decode()
    assert f"{v1.score:.2f}" in page and "甲市政务服务中心" in page
    page = reviewer.get(f"/submissions/{v1.pk}/").content.decode()
    assert v1.bundle_sha256 in page and "审核程序发现的问题" in page
    resp = reviewer.post(f"/submissions/{v1.pk}/return/", {"comment": ""}, follow=True)
    assert "须填写审核意见" in _messages(resp)
    resp = reviewer.post(
        f"/submissions/{v1.pk}/return/", {"comment": "请补充改进措施的时间安排"}, follow=True
    )
    assert "已退回" in _messages(resp)
    filing.refresh_from_db()
    assert filing.status == "returned"

    # the unit corrects and submits a second version; the first is kept unchanged
    resp = editor.post(
        f"/filings/{filing.pk}/narrative/",
        {
            "revision": filing.revision,
            "status": "参公事业单位",
            "self_name": "我中心",
            "problems": "部分事项网办深度不够",
            "measures": "2024年6月底前推进全程网办",
        },
        follow=True,
    )
    assert "已保存" in _messages(resp)
    filing.refresh_from_db()
    resp = approver.post(
        f"/filings/{filing.pk}/submit/", {"revision": filing.revision}, follow=True
    )
    assert "已提交第 2 版" in _messages(resp), _messages(resp)
    v1.refresh_from_db()
    assert v1.status == "returned"
    assert {f.name: f.sha256 for f in v1.files.all()} == v1_hashes
    v2 = Submission.objects.get(filing=filing, version=2)
    assert v2.bundle_sha256 != v1.bundle_sha256  # the narrative changed, so the report did

    # nothing is public before acceptance and publication
    pdf = v2.files.get(kind="report_pdf")
    assert public.get(f"/public/files/{pdf.pk}/{pdf.name}").status_code == 404
    resp = reviewer.post(f"/submissions/{v2.pk}/publish/", follow=True)
    assert "只有审核通过" in _messages(resp)

    resp = reviewer.post(f"/submissions/{v2.pk}/accept/", {"comment": "同意"}, follow=True)
    assert "审核通过" in _messages(resp)
    resp = reviewer.post(f"/submissions/{v2.pk}/publish/", follow=True)
    assert "已公开" in _messages(resp)

    # the public page shows the accepted version's files, byte-identical, with its hash
    page = public.get("/public/bureau-a/2023/").content.decode()
    assert v2.bundle_sha256 in page and v1.bundle_sha256 not in page
    for f in v2.files.filter(kind__in=("report_pdf", "report_docx", "score_table", "data_table")):
        got = public.get(f"/public/files/{f.pk}/{f.name}")
        assert got.status_code == 200
        assert got.content == bytes(f.content)
        assert hashlib.sha256(got.content).hexdigest() == f.sha256 == got["X-Content-SHA256"]
        assert f.sha256 in page
    sums = public.get(f"/public/submissions/{v2.pk}/SHA256SUMS").content.decode()
    assert sums == manifest((f.name, f.sha256) for f in v2.files.all())
    assert hashlib.sha256(sums.encode()).hexdigest() == v2.bundle_sha256
    api = public.get("/api/public/bureau-a/2023").json()
    assert api[0]["bundle_sha256"] == v2.bundle_sha256
    # facts and evaluation JSON are frozen with the submission but not published
    facts_file = v2.files.get(kind="facts")
    assert public.get(f"/public/files/{facts_file.pk}/{facts_file.name}").status_code == 404


def test_checklist_answer_changes_the_score(
    filled: dict[str, Any], client_for: Callable[[str | None], Client]
) -> None:
    from jixiao.engine.result import Evaluation

    filing: Filing = filled["filing"]
    before = Evaluation.from_json(filing.evaluation_json)
    leaf = next(lf for lf in before.leaves() if lf.checklist and lf.score)
    point = leaf.checklist[0]
    editor = client_for("editor")
    page = editor.get(f"/filings/{filing.pk}/checklist/")
    assert point.text in page.content.decode()
    resp = editor.post(
        f"/filings/{filing.pk}/checklist/",
        {
            "revision": filing.revision,
            f"a:{leaf.code}.{point.id}": "no",
            f"e:{leaf.code}.{point.id}": "",
        },
        follow=True,
    )
    assert "核查项已保存" in _messages(resp), _messages(resp)
    filing.refresh_from_db()
    after = Evaluation.from_json(filing.evaluation_json)
    changed = next(lf for lf in after.leaves() if lf.code == leaf.code)
    assert changed.checklist[0].answer == "no"
    assert changed.score is not None and changed.score < leaf.score
    assert after.total.score < before.total.score
    assert filing.answers[f"{leaf.code}.{point.id}"]["answer"] == "no"
