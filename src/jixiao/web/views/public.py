"""Public pages: only published submissions, per bureau and year, with their hashes."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from jixiao.web.hashing import manifest
from jixiao.web.models import Bureau, Submission, SubmissionFile
from jixiao.web.views.bureau import file_response


def published() -> object:
    return Submission.objects.filter(published_at__isnull=False).select_related(
        "filing__unit", "filing__task__bureau"
    )


def index(request: HttpRequest) -> HttpResponse:
    years: dict[tuple[str, str, int], int] = {}
    for sub in published():
        b = sub.filing.task.bureau
        key = (b.slug, b.name, sub.filing.task.year)
        years[key] = years.get(key, 0) + 1
    rows = [
        {"slug": slug, "bureau": name, "year": year, "count": n}
        for (slug, name, year), n in sorted(years.items(), key=lambda kv: (-kv[0][2], kv[0][1]))
    ]
    return render(request, "jixiao/public_index.html", {"rows": rows})


def bureau_year(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    bureau = get_object_or_404(Bureau, slug=slug)
    subs = published().filter(filing__task__bureau=bureau, filing__task__year=year)
    items = [
        {"sub": s, "files": s.files.defer("content").filter(kind__in=SubmissionFile.PUBLIC_KINDS)}
        for s in subs.order_by("filing__unit__name")
    ]
    if not items:
        raise Http404("该年度尚无公开的自评材料")
    return render(
        request, "jixiao/public_bureau.html", {"bureau": bureau, "year": year, "items": items}
    )


def public_file(request: HttpRequest, file_id: int, name: str) -> HttpResponse:
    f = get_object_or_404(
        SubmissionFile,
        pk=file_id,
        name=name,
        kind__in=SubmissionFile.PUBLIC_KINDS,
        submission__published_at__isnull=False,
    )
    return file_response(f)


def public_manifest(request: HttpRequest, pk: int) -> HttpResponse:
    """The ``sha256sum`` text of every frozen file; its own SHA-256 is the submission's hash."""
    sub = get_object_or_404(published(), pk=pk)
    text = manifest((f.name, f.sha256) for f in sub.files.defer("content"))
    resp = HttpResponse(text, content_type="text/plain; charset=utf-8")
    resp["Content-Disposition"] = 'attachment; filename="SHA256SUMS"'
    return resp
