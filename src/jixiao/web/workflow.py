"""The workflow: open a task, fill a filing, submit (freeze), return, accept, publish.

Each step is one database transaction that checks the filing's state and revision first, so that
a double submit or a stale form changes nothing. Every refusal is a :class:`WorkflowError` with a
Chinese message the page shows.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from jixiao.engine.result import Evaluation
from jixiao.errors import JixiaoError
from jixiao.web import services
from jixiao.web.hashing import bundle_sha256, sha256_file
from jixiao.web.models import (
    Bureau,
    Event,
    Filing,
    RecordImport,
    Submission,
    SubmissionFile,
    Task,
)


class WorkflowError(JixiaoError):
    """A step refused because of the filing's state or a stale form."""


CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".json": "application/json",
}


def _sha256_path(path: Path) -> str:
    """SHA-256 of a file, or of a folder's ``sha256sum`` manifest."""
    if path.is_file():
        return sha256_file(path)
    files = sorted(p for p in path.rglob("*") if p.is_file())
    return bundle_sha256((str(p.relative_to(path)), sha256_file(p)) for p in files)


def _event(filing: Filing, actor: Any, action: str, detail: str = "", submission=None) -> None:
    Event.objects.create(
        filing=filing, actor=actor, action=action, detail=detail, submission=submission
    )


def _locked(filing_id: int, expected_revision: int | None) -> Filing:
    filing = Filing.objects.select_for_update().select_related("task", "unit").get(pk=filing_id)
    if expected_revision is not None and filing.revision != expected_revision:
        raise WorkflowError(
            "页面已过期：填报内容已被他人或其他窗口修改，请刷新页面后重试，本次未作任何更改"
        )
    return filing


def _editable(filing: Filing) -> None:
    if not filing.editable:
        raise WorkflowError(
            f"当前状态为「{filing.get_status_display()}」，不能修改；如需更正，请等待审核人退回"
        )


# ---------------------------------------------------------------- bureau


@transaction.atomic
def open_task(
    bureau: Bureau,
    actor: Any,
    *,
    year: int,
    notice_number: str,
    title: str,
    framework_id: str,
    deadline: dt.date,
) -> Task:
    if Task.objects.filter(bureau=bureau, notice_number=notice_number).exists():
        raise WorkflowError(f"文号「{notice_number}」的任务已经下达过")
    units = list(bureau.units.all())
    if not units:
        raise WorkflowError("本局尚无预算单位，无法下达任务")
    task = Task.objects.create(
        bureau=bureau,
        year=year,
        notice_number=notice_number,
        title=title,
        framework_id=framework_id,
        deadline=deadline,
        opened_by=actor,
    )
    for unit in units:
        filing = Filing.objects.create(task=task, unit=unit)
        _event(filing, actor, "open", f"下达任务 {notice_number}")
    return task


# ---------------------------------------------------------------- unit: inputs


def _recompute(filing: Filing) -> None:
    """Evaluate the filing again; an error is kept on the filing and shown, not raised."""
    facts = services.facts_path(filing.pk, filing.facts_name) if filing.facts_name else None
    store = services.store_path(filing.pk)
    try:
        evaluation = services.evaluate_filing(
            filing.task.framework_id,
            filing.task.year,
            filing.unit.name,
            facts if facts is not None and facts.exists() else None,
            store if store.exists() else None,
            filing.answers,
            display_name=filing.facts_name or None,
        )
        filing.evaluation_json = evaluation.to_json()
        filing.evaluation_error = ""
    except JixiaoError as exc:
        filing.evaluation_json = ""
        # Name the user's file, not where this server keeps its copy.
        filing.evaluation_error = (
            str(exc).replace(str(facts), filing.facts_name) if facts else str(exc)
        )
    if store.exists():
        try:
            filing.kpis_json = services.compute_kpis(store, filing.task.year).to_json()
        except JixiaoError as exc:
            filing.kpis_json = ""
            filing.evaluation_error = (filing.evaluation_error + "\n" + str(exc)).strip()


def recompute(filing_id: int, actor: Any) -> Filing:
    with transaction.atomic():
        filing = _locked(filing_id, None)
        _recompute(filing)
        filing.save()
    return filing


def save_facts(
    filing_id: int, actor: Any, upload: Path, name: str, expected_revision: int
) -> Filing:
    """Replace the facts workbook: validated first, so a bad workbook changes nothing."""
    facts = services.read_facts(upload)  # raises JixiaoError with file/sheet/cell on bad input
    with transaction.atomic():
        filing = _locked(filing_id, expected_revision)
        _editable(filing)
        task = filing.task
        if facts.framework and facts.framework != task.framework_id:
            raise WorkflowError(
                f"「{name}」填报的是指标体系 {facts.framework}，本任务使用 {task.framework_id}；"
                "请下载本任务的填报模板重新填写。本次未作任何更改"
            )
        if facts.year and facts.year != task.year:
            raise WorkflowError(
                f"「{name}」的评价年度为 {facts.year} 年，本任务为 {task.year} 年度。"
                "本次未作任何更改"
            )
        for old in services.filing_dir(filing.pk).glob("facts.*"):
            old.unlink()
        target = services.facts_path(filing.pk, name)
        shutil.copyfile(upload, target)
        filing.facts_name = name
        filing.facts_sha256 = sha256_file(target)
        filing.revision += 1
        _recompute(filing)
        filing.save()
        _event(filing, actor, "facts", f"上传填报工作簿 {name}（SHA-256 {filing.facts_sha256}）")
    return filing


def import_records(
    filing_id: int,
    actor: Any,
    upload: Path,
    name: str,
    expected_revision: int | None,
    via: str = "web",
) -> RecordImport:
    """Import service records; rows set aside are kept with their reasons."""
    with transaction.atomic():
        filing = _locked(filing_id, expected_revision)
        _editable(filing)
        # The importer is one transaction: on any error the store is left as it was.
        qdir = (
            services.filing_dir(filing.pk)
            / "quarantine"
            / timezone.now().strftime("%Y%m%d-%H%M%S-%f")
        )
        outcome = services.import_records(upload, services.store_path(filing.pk), qdir)
        record = RecordImport.objects.create(
            filing=filing,
            via=via,
            filename=name,
            sha256=_sha256_path(upload),
            tables=outcome.tables,
            rows_ok=outcome.rows_ok,
            rows_rejected=outcome.rows_rejected,
            rows_present=outcome.rows_present,
            rows_updated=outcome.rows_updated,
            rejected=outcome.rejected,
            created_by=actor,
        )
        filing.revision += 1
        _recompute(filing)
        filing.save()
        _event(
            filing,
            actor,
            "records",
            f"导入服务记录 {name}：{outcome.rows_ok} 行导入，{outcome.rows_updated} 行更新，"
            f"{outcome.rows_rejected} 行被剔除",
        )
    return record


def save_answers(
    filing_id: int, actor: Any, answers: dict[str, dict[str, str]], expected_revision: int
) -> Filing:
    for name, a in answers.items():
        if a.get("answer") in ("yes", "partly") and not (a.get("evidence") or "").strip():
            raise WorkflowError(f"核查项 {name} 回答“是/部分”时须填写佐证材料")
    with transaction.atomic():
        filing = _locked(filing_id, expected_revision)
        _editable(filing)
        filing.answers = {**filing.answers, **answers}
        filing.revision += 1
        _recompute(filing)
        filing.save()
        _event(filing, actor, "answers", f"填写核查项 {len(answers)} 项")
    return filing


def save_narrative(
    filing_id: int,
    actor: Any,
    unit_info: dict[str, Any],
    narrative: dict[str, Any],
    expected_revision: int,
) -> Filing:
    with transaction.atomic():
        filing = _locked(filing_id, expected_revision)
        _editable(filing)
        filing.unit_info = unit_info
        filing.narrative = narrative
        filing.revision += 1
        filing.save()
        _event(filing, actor, "narrative", "修改报告文字")
    return filing


def report_inputs(filing: Filing) -> tuple[dict[str, Any], dict[str, Any]]:
    """UnitInfo and Narrative data for the report: the notice and year come from the task."""
    info = {
        "name": filing.unit.name,
        "status": "行政单位",
        **{k: v for k, v in filing.unit_info.items() if v not in (None, "", [])},
        "notice": {"title": filing.task.title, "number": filing.task.notice_number},
        "year": filing.task.year,
    }
    return info, dict(filing.narrative)


def render_preview(filing: Filing, out_dir: Path) -> dict[str, Path]:
    evaluation = _evaluation(filing)
    info, narrative = report_inputs(filing)
    kpis = services.KpiReport.model_validate_json(filing.kpis_json) if filing.kpis_json else None
    return services.render_bundle(evaluation, info, narrative, kpis, out_dir)


def _evaluation(filing: Filing) -> Evaluation:
    if not filing.evaluation_json:
        raise WorkflowError(
            "尚无评价结果：请先上传填报工作簿"
            + (f"（{filing.evaluation_error}）" if filing.evaluation_error else "")
        )
    return Evaluation.from_json(filing.evaluation_json)


# ---------------------------------------------------------------- unit: submit (freeze)


def submit(filing_id: int, actor: Any, expected_revision: int) -> Submission:
    """Freeze the filing as a new version: render, audit, store every file with its SHA-256."""
    with transaction.atomic():
        filing = _locked(filing_id, None)
        if filing.status == Filing.Status.SUBMITTED:
            raise WorkflowError("该填报已提交，正在审核中，请勿重复提交")
        if filing.revision != expected_revision:
            raise WorkflowError("页面已过期：填报内容已被修改，请刷新页面确认后再提交，本次未提交")
        _editable(filing)
        evaluation = _evaluation(filing)
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp)
            rendered = render_preview(filing, out)
            audit: dict[str, Any] = {}
            report = rendered.get("report_pdf") or rendered.get("report_docx")
            if report is not None:
                try:
                    audit = services.audit_report(report)
                except JixiaoError as exc:
                    audit = {"error": str(exc)}
            files: list[tuple[str, str, bytes]] = [
                (kind, path.name, path.read_bytes()) for kind, path in rendered.items()
            ]
        facts = services.facts_path(filing.pk, filing.facts_name or "facts.xlsx")
        if filing.facts_name and facts.exists():
            files.append(("facts", filing.facts_name or "facts.xlsx", facts.read_bytes()))
        files.append(("evaluation", "evaluation.json", filing.evaluation_json.encode("utf-8")))
        from jixiao.web.hashing import sha256_bytes

        digests = [(name, sha256_bytes(data)) for _, name, data in files]
        version = (
            filing.submissions.order_by("-version").values_list("version", flat=True).first() or 0
        ) + 1
        submission = Submission.objects.create(
            filing=filing,
            version=version,
            submitted_by=actor,
            score=evaluation.total.score,
            grade=evaluation.total.grade,
            complete=evaluation.total.complete,
            evaluation_json=filing.evaluation_json,
            bundle_sha256=bundle_sha256(digests),
            audit_json=json.dumps(audit, ensure_ascii=False),
        )
        for kind, name, data in files:
            ext = Path(name).suffix.lower()
            SubmissionFile.objects.create(
                submission=submission,
                kind=kind,
                name=name,
                content=data,
                content_type=CONTENT_TYPES.get(ext, "application/octet-stream"),
            )
        filing.status = Filing.Status.SUBMITTED
        filing.revision += 1
        filing.save()
        _event(
            filing,
            actor,
            "submit",
            f"提交第 {version} 版（SHA-256 {submission.bundle_sha256}）",
            submission,
        )
    return submission


# ---------------------------------------------------------------- bureau: review and publish


def _locked_submission(submission_id: int) -> Submission:
    return Submission.objects.select_for_update().select_related("filing").get(pk=submission_id)


def return_submission(submission_id: int, actor: Any, comment: str) -> Submission:
    if not comment.strip():
        raise WorkflowError("退回时须填写审核意见，说明需要更正的内容")
    return _review(submission_id, actor, comment, accept=False)


def accept_submission(submission_id: int, actor: Any, comment: str = "") -> Submission:
    return _review(submission_id, actor, comment, accept=True)


def _review(submission_id: int, actor: Any, comment: str, *, accept: bool) -> Submission:
    """The reviewer's decision on a submitted version: the version and its filing move together,
    in one transaction, and the decision is logged."""
    verb = "通过" if accept else "退回"
    with transaction.atomic():
        sub = _locked_submission(submission_id)
        if sub.status != Submission.Status.SUBMITTED:
            raise WorkflowError(f"该版本状态为「{sub.get_status_display()}」，不能{verb}")
        sub.status = Submission.Status.ACCEPTED if accept else Submission.Status.RETURNED
        sub.review_comment = comment.strip()
        sub.reviewed_by = actor
        sub.reviewed_at = timezone.now()
        sub.save()
        filing = _locked(sub.filing_id, None)
        filing.status = Filing.Status.ACCEPTED if accept else Filing.Status.RETURNED
        filing.revision += 1
        filing.save()
        _event(filing, actor, "accept" if accept else "return", comment.strip(), sub)
    return sub


def publish_submission(submission_id: int, actor: Any) -> Submission:
    with transaction.atomic():
        sub = _locked_submission(submission_id)
        if sub.status != Submission.Status.ACCEPTED:
            raise WorkflowError("只有审核通过的版本才能公开")
        if sub.published_at is not None:
            raise WorkflowError("该版本已经公开")
        sub.published_at = timezone.now()
        sub.save()
        filing = _locked(sub.filing_id, None)
        filing.status = Filing.Status.PUBLISHED
        filing.revision += 1
        filing.save()
        _event(filing, actor, "publish", f"公开第 {sub.version} 版", sub)
    return sub
