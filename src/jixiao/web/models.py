"""The app database: bureaus, units, people, tasks, filings, frozen submissions, tokens, events.

A :class:`Filing` is one unit's working copy for one task (editable while a draft or returned).
A :class:`Submission` is a frozen version of it: its files are stored with their SHA-256 and can
never change; a correction is a new version, the old one is kept.
"""

from __future__ import annotations

import hashlib
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from jixiao.errors import JixiaoError


class FrozenError(JixiaoError):
    """An attempt to change or delete something that was frozen at submission."""


class Bureau(models.Model):
    name = models.CharField("名称", max_length=100)
    slug = models.SlugField("代码", unique=True)
    region = models.CharField("地区", max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "财政局"

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="units")
    name = models.CharField("单位名称", max_length=200)
    slug = models.SlugField("代码", unique=True)

    class Meta:
        verbose_name = verbose_name_plural = "预算单位"
        ordering: ClassVar = ["bureau", "name"]

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """Which unit or bureau a person belongs to; the role itself is the person's auth group."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT)
    bureau = models.ForeignKey(Bureau, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = verbose_name_plural = "人员归属"

    def __str__(self) -> str:
        return f"{self.user} @ {self.unit or self.bureau or '—'}"


class Task(models.Model):
    """A year's self-evaluation task opened by a bureau for its units (the notice)."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="tasks")
    year = models.PositiveIntegerField("评价年度")
    notice_number = models.CharField("通知文号", max_length=100)
    title = models.CharField("通知标题", max_length=300)
    framework_id = models.CharField("指标体系", max_length=100)
    deadline = models.DateField("截止日期")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "自评任务"
        ordering: ClassVar = ["-year", "bureau"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["bureau", "notice_number"], name="task_notice_unique")
        ]
        permissions: ClassVar = [("open_task", "可下达自评任务")]

    def __str__(self) -> str:
        return f"{self.year}年度 {self.title}"


class Filing(models.Model):
    """One unit's working copy for one task."""

    class Status(models.TextChoices):
        DRAFT = "draft", "填报中"
        SUBMITTED = "submitted", "已提交"
        RETURNED = "returned", "已退回"
        ACCEPTED = "accepted", "已通过"
        PUBLISHED = "published", "已公开"

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="filings")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="filings")
    status = models.CharField("状态", max_length=20, choices=Status, default=Status.DRAFT)
    # Bumped by every change; forms carry it so that a stale form is refused, not applied.
    revision = models.PositiveIntegerField(default=0)
    facts_name = models.CharField("填报工作簿", max_length=255, blank=True)
    facts_sha256 = models.CharField(max_length=64, blank=True)
    answers = models.JSONField("核查项答复", default=dict, blank=True)
    narrative = models.JSONField("报告文字", default=dict, blank=True)
    unit_info = models.JSONField("单位基本情况", default=dict, blank=True)
    evaluation_json = models.TextField(blank=True)
    kpis_json = models.TextField(blank=True)
    evaluation_error = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "单位填报"
        ordering: ClassVar = ["task", "unit"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["task", "unit"], name="filing_task_unit_unique")
        ]
        permissions: ClassVar = [
            ("edit_filing", "可填报"),
            ("submit_filing", "可提交"),
            ("review_filing", "可审核"),
            ("publish_filing", "可公开"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.task}"

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    def latest_submission(self) -> Submission | None:
        return self.submissions.order_by("-version").first()


class RecordImport(models.Model):
    """One import of service records (an upload or an API push) with its set-aside rows."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="imports")
    via = models.CharField(max_length=10, default="web")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    tables = models.JSONField(default=dict, help_text="table → rows imported")
    rows_ok = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    rows_present = models.PositiveIntegerField(default=0, help_text="rows already in the store")
    rows_updated = models.PositiveIntegerField(
        default=0, help_text="stored rows completed by a later export (e.g. a case closed since)"
    )
    rejected = models.JSONField(default=list, help_text="[{table, file, row, reason, values}]")
    quarantine_files = models.JSONField(default=list, help_text="the importer's quarantine CSVs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "服务记录导入"
        ordering: ClassVar = ["-created_at"]


class SubmissionQuerySet(models.QuerySet):
    """Bulk updates and deletes go around ``save()``; refuse the ones that touch frozen data."""

    def update(self, **kwargs: Any) -> int:
        frozen = set(kwargs) & set(Submission.FROZEN_FIELDS)
        if frozen:
            raise FrozenError(f"已提交的版本不能修改（字段：{', '.join(sorted(frozen))}）")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise FrozenError("已提交的版本不能删除")


class Submission(models.Model):
    """A frozen version of a filing, submitted by the unit's approver."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待审核"
        RETURNED = "returned", "已退回"
        ACCEPTED = "accepted", "已通过"

    FROZEN_FIELDS: ClassVar = (
        "filing_id",
        "version",
        "submitted_by_id",
        "submitted_at",
        "score",
        "grade",
        "complete",
        "evaluation_json",
        "bundle_sha256",
    )

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="submissions")
    version = models.PositiveIntegerField("版本")
    status = models.CharField(max_length=20, choices=Status, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    score = models.FloatField(null=True)
    grade = models.CharField(max_length=4, blank=True)
    complete = models.BooleanField(default=False)
    evaluation_json = models.TextField()
    bundle_sha256 = models.CharField("提交包 SHA-256", max_length=64)
    audit_json = models.TextField(blank=True)
    review_comment = models.TextField("审核意见", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "提交版本"
        ordering: ClassVar = ["filing", "-version"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["filing", "version"], name="submission_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.filing.unit} 第{self.version}版"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            old = Submission.objects.filter(pk=self.pk).values(*self.FROZEN_FIELDS).first()
            if old is not None:
                changed = [f for f in self.FROZEN_FIELDS if old[f] != getattr(self, f)]
                if changed:
                    raise FrozenError(f"已提交的版本不能修改（字段：{', '.join(changed)}）")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise FrozenError("已提交的版本不能删除")


class SubmissionFileQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise FrozenError("已提交的文件不能修改")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise FrozenError("已提交的文件不能删除")


class SubmissionFile(models.Model):
    """A file frozen with a submission: its bytes and their SHA-256, written once."""

    KIND_LABELS: ClassVar = {
        "report_pdf": "自评报告（PDF）",
        "report_docx": "自评报告（Word）",
        "score_table": "评分表",
        "data_table": "数据表",
        "facts": "填报工作簿",
        "evaluation": "评价结果（JSON）",
        "records": "服务记录",
    }
    PUBLIC_KINDS: ClassVar = ("report_pdf", "report_docx", "score_table", "data_table")

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(max_length=30)
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120, default="application/octet-stream")
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()

    objects = SubmissionFileQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "提交文件"
        ordering: ClassVar = ["submission", "kind"]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        return self.KIND_LABELS.get(self.kind, self.kind)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and SubmissionFile.objects.filter(pk=self.pk).exists():
            raise FrozenError("已提交的文件不能修改")
        data = bytes(self.content)
        self.sha256 = hashlib.sha256(data).hexdigest()
        self.size = len(data)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise FrozenError("已提交的文件不能删除")


class ApiToken(models.Model):
    """A bearer token for systems; only its SHA-256 is stored, the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    name = models.CharField("用途", max_length=100)
    prefix = models.CharField(max_length=12)
    key_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Event(models.Model):
    """The audit trail: who did what to which filing, when."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="events")
    submission = models.ForeignKey(Submission, null=True, blank=True, on_delete=models.PROTECT)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=50)
    detail = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "操作记录"
        ordering: ClassVar = ["-at"]
