"""Load and validate framework files; the registry of shipped frameworks.

Shipped frameworks live in ``jixiao/frameworks/data/<id>.yaml``. A path to any other YAML file
(a bureau's own version) is loaded and validated the same way.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from jixiao.errors import JixiaoError, Location
from jixiao.frameworks.model import Framework

_DATA = "jixiao.frameworks.data"


def _shipped_files() -> dict[str, Path]:
    root = resources.files(_DATA)
    out: dict[str, Path] = {}
    for entry in root.iterdir():
        name = entry.name
        if name.endswith((".yaml", ".yml")):
            out[name.rsplit(".", 1)[0]] = Path(str(entry))
    return out


def shipped_ids() -> list[str]:
    return sorted(_shipped_files())


def list_frameworks() -> list[Framework]:
    """Every shipped framework, validated, sorted by id."""
    return [load_framework(i) for i in shipped_ids()]


def load_framework(id_or_path: str | Path) -> Framework:
    """A shipped framework by id, or a framework file by path; raises ``JixiaoError``."""
    text = str(id_or_path)
    files = _shipped_files()
    if text in files:
        return _load_cached(str(files[text]))
    path = Path(text)
    if path.suffix.lower() in (".yaml", ".yml") and path.is_file():
        return _load_file(path)
    known = "、".join(sorted(files)) or "（无）"
    raise JixiaoError(
        f"未知的指标体系「{text}」。可用的指标体系：{known}（也可给出 YAML 文件路径）"
    )


@lru_cache(maxsize=32)
def _load_cached(path: str) -> Framework:
    return _load_file(Path(path))


def _load_file(path: Path) -> Framework:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列附近" if mark is not None else ""
        hint = getattr(exc, "problem", None) or str(exc)
        raise JixiaoError(
            f"指标体系文件不是有效的 YAML：{where}格式有误"
            f"（如括号、引号未配对或缩进不一致；解析器提示：{hint}）",
            Location(file=str(path)),
        ) from None
    except OSError as exc:
        raise JixiaoError(f"无法读取指标体系文件：{exc}", Location(file=str(path))) from None
    if not isinstance(raw, dict):
        raise JixiaoError("指标体系文件顶层应为映射（id、name、tree 等）", Location(file=str(path)))
    try:
        return Framework.model_validate(raw)
    except ValidationError as exc:
        details = [_describe(err, raw) for err in exc.errors()]
        first_node = _node_of(exc.errors()[0]["loc"], raw) if exc.errors() else None
        raise JixiaoError(
            f"指标体系文件有 {len(details)} 处错误"
            + (f"：{details[0]}" if len(details) == 1 else ""),
            Location(file=str(path), node=first_node),
            details if len(details) > 1 else [],
        ) from None


def _node_of(loc: tuple[Any, ...], raw: Any) -> str | None:
    """The code of the deepest tree node on an error's path, to name it in the message."""
    code = None
    cur = raw
    for part in loc:
        in_dict = isinstance(cur, dict) and isinstance(part, str) and part in cur
        in_list = isinstance(cur, list) and isinstance(part, int) and part < len(cur)
        if not (in_dict or in_list):
            continue
        cur = cur[part]
        if isinstance(cur, dict) and "code" in cur and "name" in cur:
            code = f"{cur['code']}「{cur['name']}」"
    return code


_MESSAGES = {
    "missing": "缺少必填项",
    "extra_forbidden": "不认识的字段",
    "literal_error": "取值不在允许范围内",
    "greater_than": "应大于",
    "greater_than_equal": "应不小于",
    "less_than_equal": "应不大于",
    "string_pattern_mismatch": "格式不符",
    "too_short": "不能为空",
    "union_tag_invalid": "评分规则类型无效",
}


def _describe(err: Any, raw: Any) -> str:
    loc = tuple(err.get("loc", ()))
    node = _node_of(loc, raw)
    last_index = max((i for i, p in enumerate(loc) if isinstance(p, int)), default=-1)
    tags = {"node", "slot", "leaf", "target_met", "proportional", "bands", "deduction"}
    tags |= {"checklist", "manual"}
    field = ".".join(str(p) for p in loc[last_index + 1 :] if str(p) not in tags)
    if last_index >= 0 and loc[0] == "facts":
        field = ".".join(str(p) for p in loc)
    msg = str(err.get("msg", ""))
    if err.get("type") == "value_error":
        text = msg.removeprefix("Value error, ")
        return text
    base = _MESSAGES.get(str(err.get("type")), msg)
    if err.get("type") in ("greater_than", "greater_than_equal", "less_than_equal"):
        ctx = err.get("ctx") or {}
        bound = next(iter(ctx.values()), "")
        base = f"{base} {bound}"
    if err.get("type") == "union_tag_invalid":
        base = (
            "评分规则类型无效（可用：target_met、proportional、bands、deduction、"
            "checklist、manual）"
        )
    where = f"指标 {node} " if node else ""
    return f"{where}字段 {field or '（顶层）'}：{base}（{msg}）"
