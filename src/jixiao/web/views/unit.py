"""Pages of a filing: uploads, evaluation, checklist, narrative, preview, submit, dashboard."""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jixiao.engine.result import Evaluation
from jixiao.errors import JixiaoError
from jixiao.kpis.result import KpiReport
from jixiao.web import dashboards, roles, services, workflow
from jixiao.web.forms import ChecklistForm, NarrativeForm, UploadForm
from jixiao.web.models import Filing, RecordImport
from jixiao.web.uploads import FACTS_SUFFIXES, RECORDS_SUFFIXES, stage_uploads, user_message


def evaluation_of(filing: Filing) -> Evaluation | None:
    return Evaluation.from_json(filing.evaluation_json) if filing.evaluation_json else None


def kpis_of(filing: Filing) -> KpiReport | None:
    return KpiReport.model_validate_json(filing.kpis_json) if filing.kpis_json else None


def _editable_or_403(request: HttpRequest, filing: Filing) -> None:
    if not roles.can_edit(request.user, filing):
        raise PermissionDenied("您没有填报权限")


def _revision(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("revision", ""))
    except ValueError as exc:
        raise JixiaoError("表单缺少版本号，请刷新页面后重试") from exc


@login_required
def filing_list(request: HttpRequest) -> HttpResponse:
    filings = roles.visible_filings(request.user).order_by("-task__year", "unit__name")
    return render(request, "jixiao/filing_list.html", {"filings": filings})


@login_required
def filing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    filing = roles.get_filing(request.user, pk)
    evaluation = evaluation_of(filing)
    return render(
        request,
        "jixiao/filing_detail.html",
        {
            "filing": filing,
            "evaluation": evaluation,
            "imports": filing.imports.all()[:20],
            "submissions": filing.submissions.order_by("-version"),
            "events": filing.events.select_related("actor")[:30],
            "can_edit": roles.can_edit(request.user, filing) and filing.editable,
            "can_submit": roles.can_submit(request.user, filing) and filing.editable,
            "upload_form": UploadForm(initial={"revision": filing.revision}),
            "facts_suffixes": ", ".join(FACTS_SUFFIXES),
            "records_suffixes": ", ".join(RECORDS_SUFFIXES),
        },
    )


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("x-requested-with") == "XMLHttpRequest"


def _upload_response(request: HttpRequest, filing: Filing, ok: bool, message: str) -> HttpResponse:
    if _wants_json(request):
        if ok:  # the script reloads the page, which then shows the message
            messages.success(request, message)
        return JsonResponse({"ok": ok, "message": message}, status=200 if ok else 400)
    (messages.success if ok else messages.error)(request, message)
    return redirect("jixiao:filing", pk=filing.pk)


@login_required
def facts_template(request: HttpRequest, pk: int) -> HttpResponse:
    filing = roles.get_filing(request.user, pk)
    with tempfile.TemporaryDirectory() as tmp:
        name = f"填报模板-{filing.task.framework_id}-{filing.task.year}.xlsx"
        try:
            data = services.write_template(filing.task.framework_id, Path(tmp) / name).read_bytes()
        except JixiaoError as exc:
            messages.error(request, str(exc))
            return redirect("jixiao:filing", pk=filing.pk)
    resp = HttpResponse(data, content_type=workflow.CONTENT_TYPES[".xlsx"])
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return resp


@login_required
@require_POST
def upload_facts(request: HttpRequest, pk: int) -> HttpResponse:
    filing = roles.get_filing(request.user, pk)
    _editable_or_403(request, filing)
    uploads = request.FILES.getlist("file")
    if len(uploads) != 1:
        return _upload_response(request, filing, False, "请选择一个填报工作簿")
    staged: Path | None = None
    try:
        staged = stage_uploads(uploads, FACTS_SUFFIXES, "填报工作簿")
        path = next(staged.iterdir())
        filing = workflow.save_facts(filing.pk, request.user, path, path.name, _revision(request))
    except JixiaoError as exc:
        return _upload_response(request, filing, False, f"上传失败：{user_message(exc, staged)}")
    finally:
        if staged is not None:
            shutil.rmtree(staged, ignore_errors=True)
    note = (
        "，评价已更新" if filing.evaluation_json else f"；但评价未能计算：{filing.evaluation_error}"
    )
    return _upload_response(request, filing, True, f"已上传「{path.name}」{note}")


@login_required
@require_POST
def upload_records(request: HttpRequest, pk: int) -> HttpResponse:
    filing = roles.get_filing(request.user, pk)
    _editable_or_403(request, filing)
    uploads = request.FILES.getlist("file")
    if not uploads:
        return _upload_response(request, filing, False, "请选择要上传的服务记录文件")
    staged: Path | None = None
    try:
        staged = stage_uploads(uploads, RECORDS_SUFFIXES, "服务记录文件")
        label = "、".join(sorted(p.name for p in staged.iterdir()))
        rec = workflow.import_records(filing.pk, request.user, staged, label, _revision(request))
    except JixiaoError as exc:
        return _upload_response(request, filing, False, f"导入失败：{user_message(exc, staged)}")
    finally:
        if staged is not None:
            shutil.rmtree(staged, ignore_errors=True)
    msg = f"已导入「{label}」：{rec.rows_ok} 行导入"
    if rec.rows_updated:
        msg += f"，{rec.rows_updated} 行补全了此前导入的记录（如此后办结的办件）"
    if rec.rows_present:
        msg += f"，{rec.rows_present} 行此前已导入（未重复计入）"
    if rec.rows_rejected:
        msg += f"，{rec.rows_rejected} 行被剔除（见下方列表，可下载）"
    return _upload_response(request, filing, True, msg)


@login_required
def rejected_csv(request: HttpRequest, pk: int, import_id: int) -> HttpResponse:
    """The rows set aside: the importer's own quarantine CSV (one table) or a zip of them."""
    filing = roles.get_filing(request.user, pk)
    rec = get_object_or_404(RecordImport, pk=import_id, filing=filing)
    files = [Path(p) for p in rec.quarantine_files if Path(p).exists()]
    if len(files) == 1:
        resp = HttpResponse(files[0].read_bytes(), content_type="text/csv; charset=utf-8")
        resp["Content-Disposition"] = f'attachment; filename="rejected-{rec.pk}.csv"'
        return resp
    if files:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for f in files:
                zf.write(f, f.name)
        resp = HttpResponse(buf.getvalue(), content_type="application/zip")
        resp["Content-Disposition"] = f'attachment; filename="rejected-{rec.pk}.zip"'
        return resp
    # No quarantine file kept (e.g. removed from disk): the rows listed in the database.
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["表", "来源文件", "行号", "原因", "原始内容"])
    for r in rec.rejected:
        writer.writerow(
            [
                r.get("table", ""),
                r.get("file", ""),
                r.get("row", ""),
                r.get("reason", ""),
                json.dumps(r.get("values", {}), ensure_ascii=False),
            ]
        )
    # UTF-8 with a BOM so that Excel opens the Chinese text correctly.
    resp = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="rejected-{rec.pk}.csv"'
    return resp


@login_required
def evaluation_page(request: HttpRequest, pk: int) -> HttpResponse:
    filing = roles.get_filing(request.user, pk)
    return render(
        request, "jixiao/evaluation.html", {"filing": filing, "evaluation": evaluation_of(filing)}
    )


@login_required
def checklist_page(request: HttpRequest, pk: int) -> HttpResponse:
    filing = roles.get_filing(request.user, pk)
    evaluation = evaluation_of(filing)
    leaves = evaluation.leaves() if evaluation else []
    if request.method == "POST":
        _editable_or_403(request, filing)
        form = ChecklistForm(request.POST, leaves=leaves)
        if form.is_valid():
            try:
                workflow.save_answers(
                    filing.pk, request.user, form.answers(), form.cleaned_data["revision"]
                )
            except JixiaoError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "核查项已保存，评价已更新")
                return redirect("jixiao:checklist", pk=filing.pk)
        else:
            messages.error(request, "表单有误，请检查")
    else:
        form = ChecklistForm(initial={"revision": filing.revision}, leaves=leaves)
    return render(
        request,
        "jixiao/checklist.html",
        {
            "filing": filing,
            "form": form,
            "can_edit": roles.can_edit(request.user, filing) and filing.editable,
        },
    )


@login_required
def narrative_page(request: HttpRequest, pk: int) -> HttpResponse:
    filing = roles.get_filing(request.user, pk)
    if request.method == "POST":
        _editable_or_403(request, filing)
        form = NarrativeForm(request.POST)
        if form.is_valid():
            try:
                workflow.save_narrative(
                    filing.pk,
                    request.user,
                    form.unit_info(),
                    form.narrative(),
                    form.cleaned_data["revision"],
                )
            except JixiaoError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "报告文字已保存")
                return redirect("jixiao:narrative", pk=filing.pk)
        else:
            messages.error(request, "表单有误，请检查标红的栏目")
    else:
        initial = NarrativeForm.initial_from(filing.unit_info, filing.narrative)
        form = NarrativeForm(initial={**initial, "revision": filing.revision})
    return render(
        request,
        "jixiao/narrative.html",
        {
            "filing": filing,
            "form": form,
            "can_edit": roles.can_edit(request.user, filing) and filing.editable,
        },
    )


@login_required
def preview_page(request: HttpRequest, pk: int) -> HttpResponse:
    filing = roles.get_filing(request.user, pk)
    return render(
        request, "jixiao/preview.html", {"filing": filing, "evaluation": evaluation_of(filing)}
    )


@login_required
def preview_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    filing = roles.get_filing(request.user, pk)
    if kind not in ("report_pdf", "report_docx", "score_table", "data_table"):
        raise Http404
    tmp = Path(tempfile.mkdtemp(prefix="jixiao-preview-"))
    try:
        files = workflow.render_preview(filing, tmp)
    except JixiaoError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        messages.error(request, f"无法生成预览：{exc}")
        return redirect("jixiao:preview", pk=filing.pk)
    if kind not in files:
        raise Http404("该文件未生成")
    path = files[kind]
    data = path.read_bytes()
    shutil.rmtree(tmp, ignore_errors=True)
    ctype = workflow.CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")
    resp = HttpResponse(data, content_type=ctype)
    disposition = "inline" if kind == "report_pdf" else "attachment"
    resp["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(path.name)}"
    return resp


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    filing = roles.get_filing(request.user, pk)
    if not roles.can_submit(request.user, filing):
        raise PermissionDenied("只有单位负责人可以提交")
    try:
        sub = workflow.submit(filing.pk, request.user, _revision(request))
    except JixiaoError as exc:
        messages.error(request, f"提交未成功：{exc}")
        return redirect("jixiao:filing", pk=filing.pk)
    messages.success(request, f"已提交第 {sub.version} 版，已冻结；SHA-256：{sub.bundle_sha256}")
    return redirect("jixiao:submission", pk=sub.pk)


@login_required
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    filing = roles.get_filing(request.user, pk)
    evaluation = evaluation_of(filing)
    series: list[dict[str, Any]] = []
    error = ""
    store = services.store_path(filing.pk)
    if store.exists():
        try:
            report = services.compute_kpis(store, filing.task.year, by=("month",))
            series = [s.as_dict() for s in dashboards.monthly_series(report, evaluation)]
        except JixiaoError as exc:
            error = str(exc)
    breakdown = []
    if evaluation is not None:
        for node in evaluation.tree:
            breakdown.append(
                {"name": node.name, "score": node.score or 0, "max": getattr(node, "weight", 0)}
            )
    return render(
        request,
        "jixiao/dashboard.html",
        {
            "filing": filing,
            "evaluation": evaluation,
            "series": series,
            "chart_data": {"series": series, "breakdown": breakdown},
            "error": error,
        },
    )
