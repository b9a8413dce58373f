"""The bureau's pages: open a task, see every unit's status, review and publish submissions."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jixiao.errors import JixiaoError
from jixiao.kpis.result import KpiReport
from jixiao.web import roles, services, workflow
from jixiao.web.forms import ReviewForm, TaskForm
from jixiao.web.models import Bureau, Filing, Submission, SubmissionFile, Task

# KPIs compared across units on the overview (only where no unit's sample is small).
OVERVIEW_KPIS = (
    "case_completion_rate",
    "on_time_completion_rate",
    "online_application_rate",
    "hotline_answer_rate",
    "rating_satisfaction_rate",
)


def _reviewer_bureau(request: HttpRequest) -> Bureau:
    user = request.user
    if not roles.is_reviewer(user):
        raise PermissionDenied("只有财政局审核人可以访问")
    bureau = roles.user_bureau(user)
    if bureau is None:
        bureau = Bureau.objects.order_by("pk").first()
    if bureau is None:
        raise Http404("尚未设置财政局")
    return bureau


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    bureau = _reviewer_bureau(request)
    tasks = []
    for task in Task.objects.filter(bureau=bureau).order_by("-year", "-opened_at"):
        counts = {s: 0 for s, _ in Filing.Status.choices}
        for status in task.filings.values_list("status", flat=True):
            counts[status] += 1
        labels = dict(Filing.Status.choices)
        tasks.append(
            {
                "task": task,
                "total": sum(counts.values()),
                "counts": [(labels[s], n, s) for s, n in counts.items() if n],
            }
        )
    return render(request, "jixiao/bureau_overview.html", {"bureau": bureau, "tasks": tasks})


def comparable_kpis(filings: list[Filing]) -> list[dict[str, Any]]:
    """KPIs by unit; a KPI with a small sample in any unit is listed, never charted."""
    rows: dict[str, dict[str, Any]] = {}
    for f in filings:
        if not f.kpis_json:
            continue
        report = KpiReport.model_validate_json(f.kpis_json)
        for v in report.results:
            if v.kpi not in OVERVIEW_KPIS or v.group:
                continue
            row = rows.setdefault(v.kpi, {"kpi": v.kpi, "label": v.label, "units": [], "small": []})
            row["units"].append(
                {
                    "unit": f.unit.name,
                    "value": v.value,
                    "num": v.numerator,
                    "den": v.denominator,
                    "small": v.small_sample,
                }
            )
            if v.small_sample:
                row["small"].append(f.unit.name)
    return [rows[k] for k in OVERVIEW_KPIS if k in rows]


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bureau = _reviewer_bureau(request)
    task = get_object_or_404(Task, pk=pk, bureau=bureau)
    filings = list(task.filings.select_related("unit").order_by("unit__name"))
    rows = []
    for f in filings:
        sub = f.latest_submission()
        audit = json.loads(sub.audit_json) if sub and sub.audit_json else {}
        rows.append({"filing": f, "submission": sub, "findings": _finding_count(audit)})
    kpis = comparable_kpis(filings)
    chart = {
        "units": [r["filing"].unit.name for r in rows],
        "scores": [r["submission"].score if r["submission"] else None for r in rows],
        "kpis": [k for k in kpis if not k["small"]],
    }
    return render(
        request,
        "jixiao/task_detail.html",
        {
            "bureau": bureau,
            "task": task,
            "rows": rows,
            "kpis": kpis,
            "chart_data": chart,
            "has_scores": any(v is not None for v in chart["scores"]),
        },
    )


def _finding_count(audit: dict[str, Any]) -> int | None:
    if not audit or "error" in audit:
        return None
    findings = audit.get("findings")
    return len(findings) if isinstance(findings, list) else None


@login_required
def task_new(request: HttpRequest) -> HttpResponse:
    bureau = _reviewer_bureau(request)
    if not roles.can_open_task(request.user, bureau):
        raise PermissionDenied("您没有下达任务的权限")
    try:
        frameworks = services.framework_choices()
    except JixiaoError as exc:
        frameworks = []
        messages.error(request, str(exc))
    form = TaskForm(request.POST or None, frameworks=frameworks)
    if request.method == "POST" and form.is_valid():
        try:
            task = workflow.open_task(bureau, request.user, **form.cleaned_data)
        except JixiaoError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已向 {task.filings.count()} 个单位下达任务")
            return redirect("jixiao:task", pk=task.pk)
    return render(request, "jixiao/task_new.html", {"bureau": bureau, "form": form})


def _submission_for(request: HttpRequest, pk: int) -> Submission:
    sub = get_object_or_404(Submission.objects.select_related("filing"), pk=pk)
    roles.get_filing(request.user, sub.filing_id)  # 404 unless the person may see the filing
    return sub


@login_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _submission_for(request, pk)
    filing = sub.filing
    audit = json.loads(sub.audit_json) if sub.audit_json else {}
    return render(
        request,
        "jixiao/submission.html",
        {
            "sub": sub,
            "filing": filing,
            "files": sub.files.defer("content"),
            "audit": audit,
            "findings": audit.get("findings") if isinstance(audit.get("findings"), list) else [],
            "can_review": roles.can_review(request.user, filing),
            "form": ReviewForm(),
            "other_versions": filing.submissions.exclude(pk=sub.pk).order_by("-version"),
        },
    )


@login_required
def submission_file(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    sub = _submission_for(request, pk)
    f = get_object_or_404(SubmissionFile, pk=file_id, submission=sub)
    return file_response(f)


def file_response(f: SubmissionFile) -> HttpResponse:
    resp = HttpResponse(bytes(f.content), content_type=f.content_type)
    disposition = "inline" if f.content_type == "application/pdf" else "attachment"
    from urllib.parse import quote

    resp["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(f.name)}"
    resp["X-Content-SHA256"] = f.sha256
    return resp


def _review(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    sub = _submission_for(request, pk)
    if not roles.can_review(request.user, sub.filing):
        raise PermissionDenied("只有本局审核人可以审核")
    form = ReviewForm(request.POST)
    comment = form.data.get("comment", "")
    try:
        if action == "return":
            workflow.return_submission(sub.pk, request.user, comment)
            messages.success(request, f"已退回第 {sub.version} 版")
        elif action == "accept":
            workflow.accept_submission(sub.pk, request.user, comment)
            messages.success(request, f"第 {sub.version} 版已审核通过")
        else:
            workflow.publish_submission(sub.pk, request.user)
            messages.success(request, f"第 {sub.version} 版已公开")
    except JixiaoError as exc:
        messages.error(request, str(exc))
    return redirect("jixiao:submission", pk=sub.pk)


@login_required
@require_POST
def submission_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(request, pk, "return")


@login_required
@require_POST
def submission_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(request, pk, "accept")


@login_required
@require_POST
def submission_publish(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _submission_for(request, pk)
    if not request.user.has_perm("jixiao_web.publish_filing"):
        raise PermissionDenied("您没有公开权限")
    return _review(request, sub.pk, "publish")
