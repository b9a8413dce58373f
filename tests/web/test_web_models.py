"""Models: frozen submissions and files, hashes, database URLs."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from jixiao.web.hashing import bundle_sha256, manifest
from jixiao.web.models import FrozenError, Submission, SubmissionFile
from jixiao.web.settings import database_from_url


def test_submission_frozen_fields_cannot_change(task_world: dict[str, Any]) -> None:
    sub: Submission = task_world["sub"]
    sub.score = 99.0
    with pytest.raises(FrozenError):
        sub.save()
    sub.refresh_from_db()
    assert sub.score == 85
    with pytest.raises(FrozenError):
        Submission.objects.filter(pk=sub.pk).update(evaluation_json="{}")
    with pytest.raises(FrozenError):
        sub.delete()
    with pytest.raises(FrozenError):
        Submission.objects.filter(pk=sub.pk).delete()
    assert Submission.objects.filter(pk=sub.pk).exists()


def test_submission_review_fields_may_change(task_world: dict[str, Any]) -> None:
    sub: Submission = task_world["sub"]
    sub.status = Submission.Status.RETURNED
    sub.review_comment = "请补充佐证"
    sub.save()
    sub.refresh_from_db()
    assert (sub.status, sub.review_comment) == ("returned", "请补充佐证")


def test_submission_file_hash_and_immutability(task_world: dict[str, Any]) -> None:
    f: SubmissionFile = task_world["file"]
    assert f.sha256 == hashlib.sha256(b"%PDF-1.4 test").hexdigest()
    assert f.size == len(b"%PDF-1.4 test")
    f.content = b"changed"
    with pytest.raises(FrozenError):
        f.save()
    with pytest.raises(FrozenError):
        SubmissionFile.objects.filter(pk=f.pk).update(content=b"x")
    with pytest.raises(FrozenError):
        f.delete()
    f.refresh_from_db()
    assert bytes(f.content) == b"%PDF-1.4 test"


def test_version_unique_per_filing(task_world: dict[str, Any]) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.create(
            filing=task_world["f1"], version=1, evaluation_json="{}", bundle_sha256="2" * 64
        )


def test_bundle_hash_is_hash_of_sha256sum_manifest() -> None:
    files = [("b.xlsx", "ab" * 32), ("a.pdf", "cd" * 32)]
    text = manifest(files)
    assert text == f"{'cd' * 32}  a.pdf\n{'ab' * 32}  b.xlsx\n"
    assert bundle_sha256(files) == hashlib.sha256(text.encode()).hexdigest()


def test_database_url_parsing() -> None:
    pg = database_from_url("postgresql://u:p%40ss@db.example:5433/jixiao")
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "u",
        "p@ss",
        "db.example",
        "5433",
        "jixiao",
    )
    assert database_from_url("sqlite:////tmp/x.sqlite3")["NAME"] == "/tmp/x.sqlite3"
    assert database_from_url(None)["ENGINE"] == "django.db.backends.sqlite3"
    with pytest.raises(ValueError, match="不受支持"):
        database_from_url("mysql://x/y")


def test_database_vendor(db: Any) -> None:
    """The database these tests ran on: PostgreSQL in the run of test_web_postgres.py."""
    import os

    from django.db import connection

    want = "postgresql" if os.environ.get("JIXIAO_TEST_DATABASE_URL") else "sqlite"
    assert connection.vendor == want
