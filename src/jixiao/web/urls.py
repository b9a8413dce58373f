"""URL map of the web app."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from jixiao.web.api import api
from jixiao.web.views import account, bureau, public, unit

jixiao_patterns = [
    path("", account.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="jixiao/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tokens/", account.tokens, name="tokens"),
    path("tokens/new/", account.token_create, name="token_create"),
    path("tokens/<int:pk>/delete/", account.token_delete, name="token_delete"),
    path("filings/", unit.filing_list, name="filings"),
    path("filings/<int:pk>/", unit.filing_detail, name="filing"),
    path("filings/<int:pk>/facts/", unit.upload_facts, name="upload_facts"),
    path("filings/<int:pk>/template.xlsx", unit.facts_template, name="facts_template"),
    path("filings/<int:pk>/records/", unit.upload_records, name="upload_records"),
    path(
        "filings/<int:pk>/imports/<int:import_id>/rejected.csv",
        unit.rejected_csv,
        name="rejected_csv",
    ),
    path("filings/<int:pk>/evaluation/", unit.evaluation_page, name="evaluation"),
    path("filings/<int:pk>/checklist/", unit.checklist_page, name="checklist"),
    path("filings/<int:pk>/narrative/", unit.narrative_page, name="narrative"),
    path("filings/<int:pk>/preview/", unit.preview_page, name="preview"),
    path("filings/<int:pk>/preview/<str:kind>/", unit.preview_file, name="preview_file"),
    path("filings/<int:pk>/submit/", unit.submit, name="submit"),
    path("filings/<int:pk>/dashboard/", unit.dashboard, name="dashboard"),
    path("submissions/<int:pk>/", bureau.submission_detail, name="submission"),
    path(
        "submissions/<int:pk>/files/<int:file_id>/",
        bureau.submission_file,
        name="submission_file",
    ),
    path("submissions/<int:pk>/return/", bureau.submission_return, name="submission_return"),
    path("submissions/<int:pk>/accept/", bureau.submission_accept, name="submission_accept"),
    path("submissions/<int:pk>/publish/", bureau.submission_publish, name="submission_publish"),
    path("bureau/", bureau.overview, name="bureau"),
    path("bureau/tasks/new/", bureau.task_new, name="task_new"),
    path("bureau/tasks/<int:pk>/", bureau.task_detail, name="task"),
    path("public/", public.index, name="public"),
    path("public/<slug:slug>/<int:year>/", public.bureau_year, name="public_bureau"),
    path("public/files/<int:file_id>/<str:name>", public.public_file, name="public_file"),
    path("public/submissions/<int:pk>/SHA256SUMS", public.public_manifest, name="public_manifest"),
]

admin.site.site_header = "绩效自评 管理后台"
admin.site.site_title = "绩效自评"

urlpatterns = [
    path("", include((jixiao_patterns, "jixiao"))),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
