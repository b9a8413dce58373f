"""Checks on uploaded files before anything reads them: size, and that a workbook is a workbook.

A request whose body is larger than the limit is answered before Django parses it (the
middleware below sits in front of the CSRF check, which would otherwise read the whole body).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, JsonResponse

from jixiao.errors import JixiaoError

FACTS_SUFFIXES = (".xlsx", ".xlsm", ".yaml", ".yml", ".json")
RECORDS_SUFFIXES = (".csv", ".xlsx", ".parquet", ".json", ".jsonl", ".zip")
ZIP_MAGIC = b"PK\x03\x04"


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def too_big_message(size: int) -> str:
    limit = settings.JIXIAO_MAX_UPLOAD_BYTES
    return f"文件过大（{_mb(size)}），上限为 {_mb(limit)}；请拆分后分批上传。本次未作任何更改"


class UploadLimitMiddleware:
    """Refuse an oversized body with a Chinese message, before anything reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        # The margin leaves room for the other form fields and the multipart boundaries.
        if length > settings.JIXIAO_MAX_UPLOAD_BYTES + 64 * 1024:
            message = too_big_message(length)
            accepts_json = "application/json" in request.META.get("HTTP_ACCEPT", "") or (
                request.path.startswith("/api/")
            )
            if accepts_json:
                return JsonResponse({"detail": message}, status=413)
            return HttpResponse(
                f'<!doctype html><meta charset="utf-8"><title>文件过大</title>'
                f'<p>{message}</p><p><a href="javascript:history.back()">返回</a></p>',
                status=413,
                content_type="text/html; charset=utf-8",
            )
        return self.get_response(request)


def save_upload(upload: UploadedFile, suffixes: tuple[str, ...], what: str) -> Path:
    """Check an upload and copy it to a temporary file (caller deletes it); JixiaoError if bad."""
    name = upload.name or "upload"
    suffix = Path(name).suffix.lower()
    if upload.size is not None and upload.size > settings.JIXIAO_MAX_UPLOAD_BYTES:
        raise JixiaoError(too_big_message(upload.size))
    if upload.size == 0:
        raise JixiaoError(f"「{name}」是空文件")
    if suffix not in suffixes:
        raise JixiaoError(
            f"「{name}」不是可接受的{what}（可接受：{'、'.join(suffixes)}）。本次未作任何更改"
        )
    head = upload.read(4)
    upload.seek(0)
    if suffix in (".xlsx", ".xlsm", ".zip") and head != ZIP_MAGIC:
        raise JixiaoError(
            f"「{name}」不是 Excel 工作簿：文件内容不是 .xlsx 格式（可能是改了扩展名的其他文件）。"
            "本次未作任何更改"
        )
    fd, tmp = tempfile.mkstemp(suffix=suffix, prefix="jixiao-upload-")
    with open(fd, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return Path(tmp)
