"""Read a unit's facts from the filled template (.xlsx), YAML or JSON.

Every value keeps its source (file, and for workbooks sheet and cell), so that a score can be
traced to the cell it came from and an error can name it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from jixiao.errors import JixiaoError, Location
from jixiao.facts.model import Answer, DeclaredIndicator, Fact, FactSet, Source

ANSWERS = {
    "是": Answer.YES,
    "yes": Answer.YES,
    "部分": Answer.PARTLY,
    "partly": Answer.PARTLY,
    "否": Answer.NO,
    "no": Answer.NO,
}


def load_facts(path: str | Path) -> FactSet:
    """Read ``path`` (.xlsx, .yaml/.yml or .json) into a ``FactSet``; raises ``JixiaoError``."""
    p = Path(path)
    if not p.exists():
        raise JixiaoError("找不到填报数据文件", Location(file=str(p)))
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from jixiao.facts.xlsx import read_workbook

        return read_workbook(p)
    if suffix in (".yaml", ".yml", ".json"):
        return _load_mapping(p)
    raise JixiaoError(
        f"不支持的填报数据格式「{p.suffix}」：请使用 .xlsx（填报模板）、.yaml 或 .json",
        Location(file=str(p)),
    )


def _load_mapping(p: Path) -> FactSet:
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise JixiaoError(f"无法读取文件：{exc}", Location(file=str(p))) from None
    try:
        raw = json.loads(text) if p.suffix.lower() == ".json" else yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise JixiaoError(
            f"不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列附近格式有误"
            f"（解析器提示：{exc.msg}）",
            Location(file=str(p)),
        ) from None
    except yaml.YAMLError as exc:
        raise JixiaoError(_yaml_message(exc), Location(file=str(p))) from None
    if not isinstance(raw, dict):
        raise JixiaoError("顶层应为映射（unit、year、facts、declared）", Location(file=str(p)))
    lines = _yaml_lines(text) if p.suffix.lower() != ".json" else {}
    return facts_from_mapping(raw, str(p), lines)


def _yaml_message(exc: yaml.YAMLError) -> str:
    """A Chinese sentence with the line and column; PyYAML's own words only as a hint."""
    mark = getattr(exc, "problem_mark", None)
    where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列附近" if mark else ""
    hint = getattr(exc, "problem", None) or str(exc)
    return f"不是有效的 YAML：{where}格式有误（如括号、引号未配对或缩进不一致；解析器提示：{hint}）"


def _yaml_lines(text: str) -> dict[str, int]:
    """Line numbers of ``facts.<name>`` keys and ``declared[i]`` items, for error messages."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:  # already parsed once; a failure here only loses line numbers
        return {}
    out: dict[str, int] = {}
    if not isinstance(root, yaml.MappingNode):
        return out
    for key, value in root.value:
        if key.value == "facts" and isinstance(value, yaml.MappingNode):
            for k, _ in value.value:
                out[f"facts.{k.value}"] = k.start_mark.line + 1
        elif key.value == "declared" and isinstance(value, yaml.SequenceNode):
            for i, item in enumerate(value.value, start=1):
                out[f"declared[{i}]"] = item.start_mark.line + 1
    return out


def facts_from_mapping(
    raw: dict[str, Any], origin: str | None = None, lines: dict[str, int] | None = None
) -> FactSet:
    """Build a ``FactSet`` from the YAML/JSON structure (also used by the web layer)."""
    unknown = set(raw) - {"unit", "year", "framework", "facts", "declared"}
    if unknown:
        raise JixiaoError(
            f"不认识的字段：{'、'.join(sorted(unknown))}"
            "（允许 unit、year、framework、facts、declared）",
            Location(file=origin),
        )
    year = raw.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        try:
            year = int(str(year).strip().removesuffix("年"))
        except ValueError:
            raise JixiaoError(
                f"year 应为年份数字，填写的是“{year}”", Location(file=origin)
            ) from None
    facts: dict[str, Fact] = {}
    raw_facts = raw.get("facts") or {}
    if not isinstance(raw_facts, dict):
        raise JixiaoError("facts 应为“名称: 值”的映射", Location(file=origin))
    for name, entry in raw_facts.items():
        name = str(name)
        key = f"facts.{name}"
        src = (
            Source(kind="file", file=origin, row=(lines or {}).get(key), note=key)
            if origin
            else Source()
        )
        if isinstance(entry, dict):
            extra = set(entry) - {"value", "evidence", "label", "unit", "source"}
            if extra:
                raise JixiaoError(
                    f"数据项 {name} 有不认识的字段：{'、'.join(sorted(extra))}"
                    "（允许 value、evidence、label、unit、source）",
                    Location(file=origin),
                )
            if isinstance(entry.get("source"), dict):
                src = Source.model_validate(entry["source"])
            facts[name] = Fact(
                name=name,
                value=normalise_value(entry.get("value")),
                label=entry.get("label"),
                unit=entry.get("unit"),
                evidence=_text(entry.get("evidence")),
                source=src,
            )
        else:
            facts[name] = Fact(name=name, value=normalise_value(entry), source=src)
    declared: list[DeclaredIndicator] = []
    for i, item in enumerate(raw.get("declared") or [], start=1):
        if not isinstance(item, dict):
            raise JixiaoError(f"declared 第 {i} 项应为映射", Location(file=origin))
        item = {**item}
        item["slot"] = str(item.get("slot", ""))
        item.setdefault(
            "source",
            {
                "kind": "file",
                "file": origin,
                "row": (lines or {}).get(f"declared[{i}]"),
                "note": f"declared[{i}]",
            },
        )
        try:
            declared.append(DeclaredIndicator.model_validate(item))
        except Exception as exc:  # pydantic's message, translated to one line with the position
            raise JixiaoError(
                f"declared 第 {i} 项（{item.get('name', '')}）有误：{_first_error(exc)}",
                Location(file=origin, row=(lines or {}).get(f"declared[{i}]")),
            ) from None
    return FactSet(
        unit=raw.get("unit"),
        year=year,
        framework=raw.get("framework"),
        facts=facts,
        declared=declared,
        origin=origin,
    )


def _first_error(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        e = errors()[0]
        field = ".".join(str(x) for x in e.get("loc", ()))
        return f"字段 {field}：{e.get('msg')}"
    return str(exc)


def _text(v: Any) -> str | None:
    if v is None:
        return None
    s = str(v).strip()
    return s or None


def normalise_value(v: Any) -> float | Answer | str | None:
    """Numbers become floats, 是/部分/否 (and YAML booleans) answers; other text stays text."""
    if v is None:
        return None
    if isinstance(v, bool):
        return Answer.YES if v else Answer.NO
    if isinstance(v, int | float):
        return float(v)
    if isinstance(v, str):
        s = v.strip()
        if not s:
            return None
        if s.lower() in ANSWERS:
            return ANSWERS[s.lower()]
        return s
    return str(v)
