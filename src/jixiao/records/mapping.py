"""A centre's own export format, declared in a small YAML file.

Example (docs/records.md has the full description)::

    table: cases                  # optional: every file is this table
    files:                        # optional: file-name pattern → table
      "*受理明细*": cases
    columns:                      # source header → canonical column (name or Chinese label)
      申请编号: case_id
      受理日期: 受理时间
    values:                       # column (source header, name or label) → {source: canonical}
      渠道: {窗口: window, 网上: online}
      评价等级: {非常满意: 5, 满意: 4, 基本满意: 3, 不满意: 2, 非常不满意: 1}
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from jixiao.errors import JixiaoError, Location
from jixiao.records.headers import normalise
from jixiao.records.schema import TABLE_LABELS, TABLES


@dataclass
class Mapping:
    table: str | None = None
    files: dict[str, str] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)  # normalised header → target
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # normalised col → codes
    source: str | None = None

    def table_for_file(self, name: str) -> str | None:
        for pattern, table in self.files.items():
            if fnmatch.fnmatch(name, pattern) or fnmatch.fnmatch(Path(name).stem, pattern):
                return table
        return self.table


def _table_name(value: object, where: Location) -> str:
    text = str(value)
    for table, label in TABLE_LABELS.items():
        if normalise(text) in (normalise(table), normalise(label)):
            return table
    known = "、".join(f"{t}（{label}）" for t, label in TABLE_LABELS.items())
    raise JixiaoError(f"未知的数据表「{text}」，可用的有：{known}", where)


def load_mapping(path: str | Path | None) -> Mapping:
    """Read and check a mapping file; ``None`` gives the empty mapping."""
    if path is None:
        return Mapping()
    path = Path(path)
    where = Location(file=str(path))
    if not path.exists():
        raise JixiaoError("对应关系文件不存在", where)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise JixiaoError(f"对应关系文件不是有效的 YAML（UTF-8）：{exc}", where) from exc
    if not isinstance(data, dict):
        raise JixiaoError("对应关系文件的顶层应为键值对（table / files / columns / values）", where)
    unknown = set(data) - {"table", "files", "columns", "values"}
    if unknown:
        raise JixiaoError(
            f"对应关系文件含有未知的键：{'、'.join(map(str, sorted(unknown)))}；"
            "可用的键为 table、files、columns、values",
            where,
        )
    mapping = Mapping(source=str(path))
    if data.get("table") is not None:
        mapping.table = _table_name(data["table"], where)
    for key in ("files", "columns", "values"):
        if data.get(key) is not None and not isinstance(data[key], dict):
            raise JixiaoError(f"「{key}」应为键值对", where)
    for pattern, table in (data.get("files") or {}).items():
        mapping.files[str(pattern)] = _table_name(table, where)
    all_columns = {normalise(c.name) for cols in TABLES.values() for c in cols} | {
        normalise(c.label) for cols in TABLES.values() for c in cols
    }
    for source, target in (data.get("columns") or {}).items():
        if normalise(str(target)) not in all_columns:
            raise JixiaoError(
                f"列「{source}」对应的目标列「{target}」不是标准列名（见 docs/records.md）",
                Location(file=str(path), column=str(source)),
            )
        mapping.columns[normalise(str(source))] = str(target)
    for column, codes in (data.get("values") or {}).items():
        if not isinstance(codes, dict):
            raise JixiaoError(
                "取值对应应为「原值: 标准值」的键值对", Location(file=str(path), column=str(column))
            )
        mapping.values[normalise(str(column))] = {
            normalise(str(k)): str(v).strip() for k, v in codes.items()
        }
    return mapping
