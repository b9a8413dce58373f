"""Shared fixtures: paths, and a real PostgreSQL server on loopback for the tests that need one."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAMPLES = SHARED / "samples" / "reports"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """Start a throw-away PostgreSQL cluster on 127.0.0.1 and yield its URL.

    The server binaries come from Debian's ``postgresql`` package (scripts/setup-system.sh).
    PostgreSQL refuses to run as root, so as root the cluster belongs to the ``postgres`` user.
    In CI a missing server is a failure, never a skip.
    """
    if url := os.environ.get("JIXIAO_TEST_POSTGRES_URL"):
        yield url
        return
    bindir = _pg_bin()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL 未安装：请运行 scripts/setup-system.sh")
        pytest.skip("PostgreSQL server binaries not installed (scripts/setup-system.sh)")
    tmp = Path(tempfile.mkdtemp(prefix="jixiao-pg-"))
    data = tmp / "data"
    port = _free_port()
    as_root = os.geteuid() == 0
    if as_root:
        shutil.chown(tmp, user="postgres")
        os.chmod(tmp, 0o700)

    def run(*args: str) -> None:
        cmd = list(args)
        if as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True)

    run(
        str(bindir / "initdb"),
        "-D",
        str(data),
        "-U",
        "jixiao",
        "--auth=trust",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
    )
    run(
        str(bindir / "pg_ctl"),
        "-D",
        str(data),
        "-l",
        str(tmp / "log"),
        "-w",
        "-o",
        f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off",
        "start",
    )
    try:
        url = f"postgresql://jixiao@127.0.0.1:{port}/postgres"
        for _ in range(50):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield url
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(tmp, ignore_errors=True)
