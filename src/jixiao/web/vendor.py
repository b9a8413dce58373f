"""Front-end assets from npm, copied into the app's static dir (served locally, never a CDN).

``scripts/setup.sh`` runs ``npm ci`` in ``web/frontend`` and then this module; ``jixiao serve``
runs it too, so an install where npm ran later still gets the file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

WEB = Path(__file__).resolve().parent
ASSETS = {
    WEB / "frontend/node_modules/echarts/dist/echarts.min.js": WEB
    / "static/vendor/echarts/echarts.min.js",
}


def install_assets() -> list[Path]:
    """Copy each asset that is missing or older than its npm source; the paths still missing."""
    missing: list[Path] = []
    for src, dst in ASSETS.items():
        if not src.exists():
            if not dst.exists():
                missing.append(dst)
            continue
        if not dst.exists() or dst.stat().st_mtime < src.stat().st_mtime:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    return missing


if __name__ == "__main__":
    for path in install_assets():
        print(f"缺少前端文件 {path.name}：请在 src/jixiao/web/frontend 运行 npm ci")
