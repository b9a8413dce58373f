"""The JSON API (django-ninja): systems push records and read evaluations and KPIs.

Authentication: ``Authorization: Bearer <token>`` (tokens made on the 接口令牌 page) or the
browser session (with its CSRF token). Permissions are those of the pages: a unit's token reaches
only its unit's filings; the public endpoints show only what is published.
OpenAPI schema: ``/api/openapi.json``; interactive docs: ``/api/docs``.
"""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError
from ninja.security import HttpBearer, django_auth

from jixiao.errors import JixiaoError
from jixiao.records.headers import header_aliases, normalise
from jixiao.records.schema import TABLES
from jixiao.web import roles, workflow
from jixiao.web.hashing import sha256_bytes
from jixiao.web.models import ApiToken, Bureau, Filing, SubmissionFile
from jixiao.web.views.public import published


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_sha256=sha256_bytes(token.encode()), user__is_active=True)
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


api = NinjaAPI(
    title="绩效自评 jixiao API",
    version="1",
    description="推送服务记录、读取评价结果与指标；权限与网页一致。",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
)


@api.exception_handler(JixiaoError)
def _jixiao_error(request: HttpRequest, exc: JixiaoError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=400)


# pydantic's messages are English; the ones a pushing system can cause are said in Chinese here.
_PYDANTIC_ZH = {
    "missing": "缺少此项",
    "list_type": "应为数组（列表）",
    "dict_type": "应为对象（键值对）",
    "model_type": "应为对象（键值对）",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "json_invalid": "不是有效的 JSON",
    "extra_forbidden": "不是可用的字段",
}


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    parts = []
    for err in exc.errors:
        loc = ".".join(str(x) for x in err.get("loc", ()) if x != "body") or "请求体"
        what = _PYDANTIC_ZH.get(str(err.get("type")), f"格式不符（{err.get('type')}）")
        parts.append(f"{loc}：{what}")
    detail = "请求格式有误：" + "；".join(parts) + '。请求体应为 {"rows": [{列名: 值, …}, …]}'
    return api.create_response(request, {"detail": detail, "errors": exc.errors}, status=422)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # django-ninja raises this English message itself for a body that is not JSON.
    msg = "请求体不是有效的 JSON" if str(exc) == "Cannot parse request body" else str(exc)
    return api.create_response(request, {"detail": msg}, status=exc.status_code)


class FilingOut(Schema):
    id: int
    unit: str
    unit_slug: str
    year: int
    notice_number: str
    framework: str
    status: str
    status_label: str
    revision: int
    score: float | None = None
    grade: str | None = None


class RowsIn(Schema):
    rows: list[dict[str, Any]]
    revision: int | None = None


class ImportOut(Schema):
    import_id: int
    rows_ok: int
    rows_updated: int
    rows_rejected: int
    tables: dict[str, int]
    rejected: list[Any]


class PublicFileOut(Schema):
    kind: str
    name: str
    sha256: str
    size: int
    url: str


class PublicSubmissionOut(Schema):
    unit: str
    version: int
    score: float | None
    grade: str
    bundle_sha256: str
    published_at: str
    files: list[PublicFileOut]


def _filing_out(f: Filing) -> FilingOut:
    score = grade = None
    if f.evaluation_json:
        total = json.loads(f.evaluation_json).get("total", {})
        score, grade = total.get("score"), total.get("grade")
    return FilingOut(
        id=f.pk,
        unit=f.unit.name,
        unit_slug=f.unit.slug,
        year=f.task.year,
        notice_number=f.task.notice_number,
        framework=f.task.framework_id,
        status=f.status,
        status_label=f.get_status_display(),
        revision=f.revision,
        score=score,
        grade=grade,
    )


def _filing(request: HttpRequest, filing_id: int) -> Filing:
    try:
        return roles.get_filing(request.user, filing_id)
    except Http404 as exc:
        raise HttpError(404, "没有找到该填报") from exc


@api.get("/filings", response=list[FilingOut], summary="可见的填报列表")
def list_filings(request: HttpRequest) -> list[FilingOut]:
    return [_filing_out(f) for f in roles.visible_filings(request.user)]


@api.get("/filings/{filing_id}", response=FilingOut, summary="一个填报的状态")
def get_filing(request: HttpRequest, filing_id: int) -> FilingOut:
    return _filing_out(_filing(request, filing_id))


@api.get("/filings/{filing_id}/evaluation", summary="评价结果（jixiao.evaluation/1）")
def get_evaluation(request: HttpRequest, filing_id: int) -> HttpResponse:
    f = _filing(request, filing_id)
    if not f.evaluation_json:
        raise HttpError(404, "尚无评价结果：请先上传填报工作簿")
    return HttpResponse(f.evaluation_json, content_type="application/json")


@api.get("/filings/{filing_id}/kpis", summary="服务指标（jixiao.kpis/1）")
def get_kpis(request: HttpRequest, filing_id: int) -> HttpResponse:
    f = _filing(request, filing_id)
    if not f.kpis_json:
        raise HttpError(404, "尚无服务记录，无法计算指标")
    return HttpResponse(f.kpis_json, content_type="application/json")


@api.post(
    "/filings/{filing_id}/records/{table}",
    response=ImportOut,
    summary="推送服务记录（规范表结构的行）",
)
def push_records(request: HttpRequest, filing_id: int, table: str, body: RowsIn) -> ImportOut:
    """Rows in the canonical schema of ``table``; they go through the same importer and
    quarantine as an uploaded file, and rows set aside come back with their reasons."""
    f = _filing(request, filing_id)
    if not roles.can_edit(request.user, f):
        raise HttpError(403, "您没有填报权限")
    if table not in TABLES:
        raise HttpError(400, f"未知的记录表「{table}」（可用：{'、'.join(TABLES)}）")
    if not body.rows:
        raise HttpError(400, "rows 为空")
    columns = [c.name for c in TABLES[table]]
    # A key the importer would not map is refused rather than dropped: a misspelt
    # "completd_at" would otherwise store every pushed case as still open.
    aliases = header_aliases(table)
    unknown = sorted({k for r in body.rows for k in r if normalise(k) not in aliases})
    if unknown:
        raise HttpError(
            400,
            f"记录表「{table}」没有这些列：{'、'.join(unknown)}（可用的列："
            f"{'、'.join(f'{c.name}（{c.label}）' for c in TABLES[table])}）；未导入任何行",
        )
    with tempfile.TemporaryDirectory(prefix="jixiao-push-") as tmp:
        # Written as `<table>.csv` with the canonical headers: the importer reads it exactly as
        # it reads an uploaded export, so a pushed row is validated and quarantined the same way.
        path = Path(tmp) / f"{table}.csv"
        extra = sorted({k for r in body.rows for k in r} - set(columns))
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=[*columns, *extra])
            writer.writeheader()
            for r in body.rows:
                writer.writerow({k: "" if v is None else v for k, v in r.items()})
        rec = workflow.import_records(
            f.pk, request.user, path, f"api:{table}.csv", body.revision, via="api"
        )
    return ImportOut(
        import_id=rec.pk,
        rows_ok=rec.rows_ok,
        rows_updated=rec.rows_updated,
        rows_rejected=rec.rows_rejected,
        tables=rec.tables,
        rejected=[_pushed_row(r) for r in rec.rejected],
    )


def _pushed_row(rejected: dict[str, Any]) -> dict[str, Any]:
    """A rejected row numbered by its place in ``rows`` (``row`` from 1, ``index`` from 0),
    not by the line of the temporary CSV it went through (header = line 1)."""
    out = {k: v for k, v in rejected.items() if k != "file"}
    line = str(rejected.get("row", ""))
    if line.isdigit():
        out["row"] = int(line) - 1
        out["index"] = int(line) - 2
    return out


@api.get(
    "/public/{bureau_slug}/{year}",
    response=list[PublicSubmissionOut],
    auth=None,
    summary="公开的自评材料（无需登录）",
)
def public_year(request: HttpRequest, bureau_slug: str, year: int) -> list[PublicSubmissionOut]:
    bureau = get_object_or_404(Bureau, slug=bureau_slug)
    out = []
    for s in published().filter(filing__task__bureau=bureau, filing__task__year=year):
        files = s.files.defer("content").filter(kind__in=SubmissionFile.PUBLIC_KINDS)
        out.append(
            PublicSubmissionOut(
                unit=s.filing.unit.name,
                version=s.version,
                score=s.score,
                grade=s.grade,
                bundle_sha256=s.bundle_sha256,
                published_at=s.published_at.isoformat(),
                files=[
                    PublicFileOut(
                        kind=f.kind,
                        name=f.name,
                        sha256=f.sha256,
                        size=f.size,
                        url=f"/public/files/{f.pk}/{f.name}",
                    )
                    for f in files
                ],
            )
        )
    return out
