"""Checks on uploaded files before anything reads them: size, and that a workbook is a workbook.

A request whose body is larger than the limit is answered before Django parses it (the
middleware below sits in front of the CSRF check, which would otherwise read the whole body).
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, JsonResponse

from jixiao.errors import JixiaoError

FACTS_SUFFIXES = (".xlsx", ".xlsm", ".yaml", ".yml", ".json")
RECORDS_SUFFIXES = (".csv", ".xlsx", ".parquet", ".zip")
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


def _safe_name(name: str) -> str:
    base = Path(name.replace("\\", "/")).name.strip()
    return base if base and base not in (".", "..") else "upload"


def _check(upload: UploadedFile, suffixes: tuple[str, ...], what: str) -> str:
    name = _safe_name(upload.name or "upload")
    suffix = Path(name).suffix.lower()
    if upload.size is not None and upload.size > settings.JIXIAO_MAX_UPLOAD_BYTES:
        raise JixiaoError(f"「{name}」" + too_big_message(upload.size))
    if upload.size == 0:
        raise JixiaoError(f"「{name}」是空文件。本次未作任何更改")
    if suffix not in suffixes:
        raise JixiaoError(
            f"「{name}」不是可接受的{what}（可接受：{'、'.join(suffixes)}）。本次未作任何更改"
        )
    head = upload.read(4)
    upload.seek(0)
    if suffix in (".xlsx", ".xlsm", ".zip") and head != ZIP_MAGIC:
        kind = "ZIP 压缩包" if suffix == ".zip" else "Excel 工作簿"
        raise JixiaoError(
            f"「{name}」不是 {kind}：文件内容不是 {suffix} 格式（可能是改了扩展名的其他文件）。"
            "本次未作任何更改"
        )
    return name


def stage_uploads(uploads: list[UploadedFile], suffixes: tuple[str, ...], what: str) -> Path:
    """Check uploads and copy them, under their own names, into a new temporary folder.

    A ``.zip`` is unpacked (its files of the accepted kinds only, names flattened, total size
    limited). The caller removes the folder. Raises JixiaoError before writing anything if an
    upload is bad.
    """
    names = [_check(u, suffixes, what) for u in uploads]
    tmp = Path(tempfile.mkdtemp(prefix="jixiao-upload-"))
    for upload, name in zip(uploads, names, strict=True):
        target = tmp / name
        with target.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        if target.suffix.lower() == ".zip":
            _unzip(target, tmp, suffixes)
            target.unlink()
    return tmp


def _unzip(archive: Path, into: Path, suffixes: tuple[str, ...]) -> None:
    limit = settings.JIXIAO_MAX_UPLOAD_BYTES * 10  # compressed exports expand; bombs do not pass
    total = 0
    try:
        with zipfile.ZipFile(archive) as zf:
            members = [
                m
                for m in zf.infolist()
                if not m.is_dir()
                and Path(m.filename).suffix.lower() in suffixes
                and Path(m.filename).suffix.lower() != ".zip"
                and not Path(m.filename).name.startswith((".", "~$"))
            ]
            if not members:
                raise JixiaoError(f"压缩包「{archive.name}」中没有可导入的文件。本次未作任何更改")
            for m in members:
                total += m.file_size
                if total > limit:
                    raise JixiaoError(f"压缩包「{archive.name}」" + too_big_message(total))
                with zf.open(m) as src, (into / _safe_name(m.filename)).open("wb") as dst:
                    shutil.copyfileobj(src, dst)
    except zipfile.BadZipFile as exc:
        raise JixiaoError(f"压缩包「{archive.name}」已损坏，无法解压。本次未作任何更改") from exc


def user_message(exc: Exception, staged: Path | None) -> str:
    """The error's text with the temporary folder left out, so it names the user's own file."""
    text = str(exc)
    if staged is not None:
        text = text.replace(str(staged) + "/", "").replace(str(staged), "")
    return text
