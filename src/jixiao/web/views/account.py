"""Home, sign-in, and API tokens."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jixiao.web import roles
from jixiao.web.forms import TokenForm
from jixiao.web.hashing import sha256_bytes
from jixiao.web.models import ApiToken


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return redirect("jixiao:public")
    if roles.user_unit(user) is not None:
        return redirect("jixiao:filings")
    if roles.is_reviewer(user):
        return redirect("jixiao:bureau")
    if user.is_staff:
        return redirect("admin:index")
    return render(request, "jixiao/no_role.html")


def new_token(user: object, name: str) -> tuple[ApiToken, str]:
    key = "jx_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:10], key_sha256=sha256_bytes(key.encode())
    )
    return token, key


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm()
    return render(
        request,
        "jixiao/tokens.html",
        {"tokens": ApiToken.objects.filter(user=request.user), "form": form},
    )


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写令牌用途")
        return redirect("jixiao:tokens")
    _, key = new_token(request.user, form.cleaned_data["name"])
    return render(request, "jixiao/token_created.html", {"key": key})


@login_required
@require_POST
def token_delete(request: HttpRequest, pk: int) -> HttpResponse:
    deleted, _ = ApiToken.objects.filter(user=request.user, pk=pk).delete()
    messages.success(request, "令牌已作废" if deleted else "没有找到该令牌")
    return redirect("jixiao:tokens")
