"""`jixiao serve` on a fresh data dir: migrations, the demo with its passwords, pages served."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_refuses_a_port_in_use_before_announcing(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "jixiao",
                "serve",
                "--port",
                str(port),
                "--data-dir",
                str(tmp_path / "d"),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    out = done.stdout + done.stderr
    assert done.returncode == 2, out
    assert f"端口 {port} 已被占用，请用 --port 换一个端口" in out, out
    assert "网页地址" not in out and "示例账号" not in out and "Error" not in out, out
    assert not (tmp_path / "d").exists()


def test_serve_loads_demo_and_serves(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "JIXIAO_DATA_DIR")
    }
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jixiao",
            "serve",
            "--port",
            str(port),
            "--data-dir",
            str(tmp_path / "data"),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/public/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        output = (tmp_path / "serve.log").read_text()
        assert "示例账号" in output and "unit1-editor" in output, output
        assert "提示" not in output, output  # every demo unit was loaded
        passwords = dict(
            (line.split("\t")[0], line.split("\t")[2])
            for line in (tmp_path / "data" / "demo-passwords.txt").read_text().splitlines()
        )
        assert len(passwords) == 8
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(f"{base}/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "username": "reviewer",
                "password": passwords["reviewer"],
            }
        ).encode()
        opener.open(
            urllib.request.Request(
                f"{base}/login/", data=data, headers={"Referer": f"{base}/login/"}
            )
        )
        overview = opener.open(f"{base}/bureau/").read().decode()
        assert "示例市财政局" in overview and "guangdong-dept-2023" in overview
        filings = json.loads(opener.open(f"{base}/api/filings").read())
        assert len(filings) == 3 and all(f["grade"] in ("优", "良", "中", "差") for f in filings)
        js = urllib.request.urlopen(f"{base}/static/vendor/echarts/echarts.min.js").read()
        assert len(js) > 500_000
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
