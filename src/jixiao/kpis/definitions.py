"""Load and validate the KPI definitions (``definitions.yaml``, shipped as package data)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from jixiao.errors import JixiaoError, Location
from jixiao.kpis.expr import ExpressionError, names
from jixiao.records.schema import TABLES

DEFINITIONS = Path(__file__).with_name("definitions.yaml")

CUTS: dict[str, str] = {
    "department": "部门",
    "hall": "大厅",
    "channel": "渠道",
    "item": "事项",
    "month": "月份",
}
# Names every expression may use besides columns and parameters (set per period).
PERIOD_NAMES = ("period_start", "as_of")


class Measure(BaseModel):
    """``{count: <condition>|all}`` or ``{sum: <expression>}``, optionally with ``where``."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    count: str | None = None
    sum_: str | None = Field(default=None, alias="sum")
    where: str | None = None
    unit: str | None = None  # of a sum; a count takes its table's count_unit
    # What is counted, in words a report can print next to the number; one label names one
    # set of records across all KPIs (tested), so a report never gives one noun two counts.
    label: str | None = None

    @model_validator(mode="after")
    def _one(self) -> Measure:
        if (self.count is None) == (self.sum_ is None):
            raise ValueError("a measure is either `count` or `sum`")
        return self

    def condition(self) -> str | None:
        """The rows this measure counts or sums over, beyond the KPI's filter."""
        parts = [p for p in (self.where, self.count) if p not in (None, "all")]
        return " and ".join(f"({p})" for p in parts) or None

    def expressions(self) -> list[str]:
        return [p for p in (self.count, self.sum_, self.where) if p not in (None, "all")]


class WorkdayDeadline(BaseModel):
    """A derived date column: ``days`` working days after the date of column ``from``."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: str = Field(alias="from")
    days: str | int
    as_: str = Field(alias="as")


class KpiDefinition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    label: str
    table: str
    kind: Literal["rate", "count"]
    unit: str = "%"
    filter: str | None = None
    numerator: Measure | None = None
    denominator: Measure | None = None
    value: Measure | None = None
    cuts: list[str] | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    workday_deadline: WorkdayDeadline | None = None
    note: str = ""

    @model_validator(mode="after")
    def _shape(self) -> KpiDefinition:
        if self.kind == "rate" and (self.numerator is None or self.denominator is None):
            raise ValueError("a rate needs numerator and denominator")
        if self.kind == "count" and self.value is None:
            raise ValueError("a count needs value")
        return self

    def expressions(self) -> list[str]:
        out = [self.filter] if self.filter else []
        for m in (self.numerator, self.denominator, self.value):
            if m is not None:
                out += m.expressions()
        return out


class TableSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str
    count_unit: str = "条"  # measure word of a row count (件, 项 …)
    date: str | None = None
    cuts: dict[str, str] = Field(default_factory=dict)


class ParamSpec(BaseModel):
    """The declared type, range and Chinese name of a parameter (``param_specs``)."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["int", "float", "str"]
    min: float | None = None
    max: float | None = None
    label: str = ""

    def convert(self, name: str, value: Any) -> int | float | str:
        """``value`` (from YAML, the command line's text or the Python API) as this type, or a
        Chinese error naming the parameter."""
        kind = {"int": "整数", "float": "数值", "str": "文字"}[self.type]
        what = f"参数 {name}" + (f"（{self.label}）" if self.label else "")
        bad = JixiaoError(f"{what}的值「{value}」无效：应为{kind}{self._range()}")
        out: int | float | str
        if self.type == "str":
            out = str(value).strip() if not isinstance(value, bool) else ""
            if not out:
                raise bad
            return out
        if isinstance(value, bool):  # bool is an int in Python, never a valid number here
            raise bad
        try:
            number = float(value.strip()) if isinstance(value, str) else float(value)
        except (TypeError, ValueError):
            raise bad from None
        if not math.isfinite(number):
            raise bad
        if self.type == "int":
            if not number.is_integer():
                raise bad
            out = int(number)
        else:
            out = number
        if (self.min is not None and out < self.min) or (self.max is not None and out > self.max):
            raise bad
        return out

    def _range(self) -> str:
        def fmt(x: float) -> str:
            return str(int(x)) if float(x).is_integer() else str(x)

        if self.min is not None and self.max is not None:
            return f"，取值 {fmt(self.min)}–{fmt(self.max)}"
        if self.min is not None:
            return f"，不小于 {fmt(self.min)}"
        if self.max is not None:
            return f"，不大于 {fmt(self.max)}"
        return ""


def _spec_from_default(value: Any) -> ParamSpec:
    """A parameter without a declaration keeps the type of its default value."""
    if isinstance(value, int) and not isinstance(value, bool):
        return ParamSpec(type="int")
    if isinstance(value, float):
        return ParamSpec(type="float")
    return ParamSpec(type="str")


class Catalogue(BaseModel):
    """Every KPI definition with its tables and default parameters."""

    model_config = ConfigDict(extra="forbid")

    version: int
    params: dict[str, Any]
    param_specs: dict[str, ParamSpec] = Field(default_factory=dict)
    tables: dict[str, TableSpec]
    kpis: list[KpiDefinition]

    @property
    def ids(self) -> list[str]:
        return [k.id for k in self.kpis]

    def get(self, kpi_id: str) -> KpiDefinition:
        for k in self.kpis:
            if k.id == kpi_id:
                return k
        raise JixiaoError(
            f"未知的指标「{kpi_id}」；可用的指标：{'、'.join(self.ids)}",
            Location(file=str(DEFINITIONS.name)),
        )

    def cuts_of(self, kpi: KpiDefinition) -> list[str]:
        """The cuts that apply to ``kpi``, in the order of :data:`CUTS`."""
        allowed = self.tables[kpi.table].cuts
        chosen = kpi.cuts if kpi.cuts is not None else list(allowed)
        return [c for c in CUTS if c in chosen and c in allowed]

    def measure_unit(self, kpi: KpiDefinition, m: Measure) -> str:
        """The unit of a numerator or denominator: its table's measure word, or a sum's unit."""
        if m.count is not None:
            return self.tables[kpi.table].count_unit
        return m.unit or ""

    def params_for(self, kpi: KpiDefinition, overrides: dict[str, Any] | None = None) -> dict:
        return {**self.params, **kpi.params, **(overrides or {})}

    def spec(self, name: str) -> ParamSpec:
        if name in self.param_specs:
            return self.param_specs[name]
        default = self.params.get(name)
        if default is None:
            default = next((k.params[name] for k in self.kpis if name in k.params), None)
        return _spec_from_default(default)

    def param_names(self) -> list[str]:
        names = list(self.params)
        for k in self.kpis:
            names += [n for n in k.params if n not in names]
        return names

    def check_params(self, overrides: Mapping[str, Any] | None) -> dict[str, Any]:
        """Overrides converted to their declared types; an unknown name or a value of the wrong
        type or out of range is a Chinese error naming the parameter."""
        known = self.param_names()
        out: dict[str, Any] = {}
        for name, value in (overrides or {}).items():
            name = str(name).strip()
            if name not in known:
                choices = "、".join(
                    n + (f"（{self.spec(n).label}）" if self.spec(n).label else "") for n in known
                )
                raise JixiaoError(f"未知的参数「{name}」；可用的参数：{choices}")
            out[name] = self.spec(name).convert(name, value)
        return out


def _validate(cat: Catalogue, file: str) -> None:
    for name in cat.param_specs:
        if name not in cat.param_names():
            raise JixiaoError(f"param_specs 声明了没有默认值的参数「{name}」", Location(file=file))
    for name, value in cat.params.items():
        cat.spec(name).convert(name, value)  # a default must satisfy its own declaration
    seen: set[str] = set()
    for k in cat.kpis:
        where = Location(file=file, node=k.id)
        if k.id in seen:
            raise JixiaoError("指标编号重复", where)
        seen.add(k.id)
        if k.table not in TABLES or k.table not in cat.tables:
            raise JixiaoError(f"未知的表「{k.table}」", where)
        for c in k.cuts or []:
            if c not in cat.tables[k.table].cuts:
                raise JixiaoError(f"分组「{c}」不适用于表「{k.table}」", where)
        known = {c.name for c in TABLES[k.table]} | set(cat.params) | set(k.params)
        known |= set(PERIOD_NAMES)
        if k.workday_deadline:
            known.add(k.workday_deadline.as_)
        for text in k.expressions():
            try:
                unknown = names(text) - known
            except ExpressionError as exc:
                raise JixiaoError(str(exc), where) from exc
            if unknown:
                raise JixiaoError(f"表达式引用了未知的列或参数 {sorted(unknown)}：{text}", where)


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Read and validate a definitions file (the shipped one by default)."""
    if path is None:
        return _default()
    return _load(Path(path))


@cache
def _default() -> Catalogue:
    return _load(DEFINITIONS)


def _load(path: Path) -> Catalogue:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise JixiaoError("指标定义文件不存在", Location(file=str(path))) from exc
    except yaml.YAMLError as exc:
        raise JixiaoError(f"指标定义文件不是有效的 YAML：{exc}", Location(file=str(path))) from exc
    try:
        cat = Catalogue.model_validate(raw)
    except ValidationError as exc:
        raise JixiaoError(
            "指标定义文件格式错误",
            Location(file=str(path)),
            details=[f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()],
        ) from exc
    _validate(cat, str(path))
    return cat
