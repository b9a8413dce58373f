"""The descriptive inputs of a report: ``unit.yaml`` (who, when, which notice) and
``narrative.yaml`` (what only people can write).

Neither file may carry a figure of the evaluation: every amount, count and rate comes from the
evaluation or the KPI report, so it is typed once. Documented in ``docs/reports.md``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from jixiao.errors import JixiaoError, Location

_DATE_HELP = "日期请写成 2024-09-10"


class Notice(BaseModel):
    """The finance bureau's notice the report answers."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=2, description="通知标题，如 关于开展2023年度……的通知")
    number: str | None = Field(default=None, description="文号，如 廉财绩〔2024〕4号")


class Member(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    title: str | None = Field(default=None, description="职务，如 党组书记、中心主任")


class Team(BaseModel):
    """The evaluation team (自评工作小组)."""

    model_config = ConfigDict(extra="forbid")

    leader: Member
    deputies: list[Member] = Field(default_factory=list)
    members: list[Member] = Field(default_factory=list)
    office: str | None = Field(default=None, description="领导小组办公室设在何处及其职责（可选）")


class Stage(BaseModel):
    """One step of the self-evaluation timeline (自查 → 集中检查 → 汇总 → 报送)."""

    model_config = ConfigDict(extra="forbid")

    start: dt.date
    end: dt.date | None = None
    text: str = Field(min_length=2, description="这一阶段做了什么")


class Disclosure(BaseModel):
    """Dates of budget disclosure (预决算信息公开)."""

    model_config = ConfigDict(extra="forbid")

    budget_approved: dt.date | None = Field(default=None, description="收到预算批复日期")
    budget_published: dt.date | None = Field(default=None, description="预算公开日期")
    final_accounts_published: dt.date | None = Field(default=None, description="决算公开日期")
    targets_published: dt.date | None = Field(default=None, description="绩效目标公开日期")


class UnitInfo(BaseModel):
    """``unit.yaml``: descriptive data about the unit and this year's evaluation."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=2, description="单位全称")
    self_name: str = Field(default="我单位", description="报告中的自称，如 我中心")
    status: str = Field(min_length=2, description="单位性质，如 参公事业单位、公益一类事业单位")
    rank: str | None = Field(default=None, description="机构规格，如 正科级")
    founded: str | None = Field(default=None, description="成立时间：2005-11 或 2005-11-01")
    project: str | None = Field(default=None, description="项目名称（项目支出自评报告用）")
    sections: list[str] = Field(default_factory=list, description="内设科室/股室")
    section_word: str = Field(default="科室", description="内设机构的称谓：科室、股室")
    notice: Notice
    year: int = Field(ge=2000, le=2100, description="评价年度，须与评价结果一致")
    team: Team | None = None
    timeline: list[Stage] = Field(default_factory=list)
    submission_date: dt.date | None = Field(default=None, description="自评材料报送日期")
    signature_date: dt.date | None = Field(default=None, description="落款日期")
    disclosure: Disclosure = Field(default_factory=Disclosure)

    @field_validator("submission_date", "signature_date")
    @classmethod
    def _after_the_year(cls, v: dt.date | None, info: ValidationInfo) -> dt.date | None:
        # A year's self-evaluation is filed after the year has ended; an earlier date is a slip
        # (usually the evaluated year typed for the filing year) that the auditor would flag.
        year = info.data.get("year")
        if v is not None and isinstance(year, int) and v.year <= year:
            raise ValueError(
                f"{v.year}年{v.month}月{v.day}日早于评价年度 {year} 年结束；"
                f"{year} 年度的自评材料应在 {year + 1} 年或之后报送"
            )
        return v

    @field_validator("founded", mode="before")
    @classmethod
    def _founded(cls, v: Any) -> Any:
        if v is None:
            return v
        if isinstance(v, dt.date):
            return v.isoformat()
        text = str(v)
        parts = text.split("-")
        try:
            if len(parts) == 1:
                int(parts[0])
            elif len(parts) == 2:
                dt.date(int(parts[0]), int(parts[1]), 1)
            else:
                dt.date.fromisoformat(text)
        except ValueError as exc:
            raise ValueError("成立时间请写成 2005、2005-11 或 2005-11-01") from exc
        return text


class Result(BaseModel):
    """A result of the year, written by staff (履职效益)."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=2)
    text: str | None = None


class Narrative(BaseModel):
    """``narrative.yaml``: the sections only people can write. Every field is optional; a
    missing one is shown in the report as 【待填写：……】, never invented."""

    model_config = ConfigDict(extra="forbid")

    mandate: list[str] = Field(default_factory=list, description="部门职能")
    priorities: list[str] = Field(default_factory=list, description="年度重点工作")
    targets: list[str] = Field(default_factory=list, description="部门整体支出绩效目标")
    results: list[Result] = Field(default_factory=list, description="履职效益、主要成效")
    problems: list[str] = Field(default_factory=list, description="存在问题")
    measures: list[str] = Field(default_factory=list, description="改进措施")
    other: str | None = Field(default=None, description="其他需要说明的情况")

    @field_validator("mandate", "priorities", "targets", "problems", "measures", mode="before")
    @classmethod
    def _one_or_many(cls, v: Any) -> Any:
        # Staff often write a single paragraph where a list is expected.
        if isinstance(v, str):
            return [v]
        return v


_FIELD_LABELS = {
    "name": "单位全称",
    "status": "单位性质",
    "notice": "通知",
    "title": "标题",
    "number": "文号",
    "year": "评价年度",
    "team": "自评工作小组",
    "leader": "组长",
    "timeline": "工作过程",
    "submission_date": "报送日期",
    "signature_date": "落款日期",
    "disclosure": "信息公开",
    "founded": "成立时间",
}


def _explain(err: ValidationError) -> list[str]:
    out: list[str] = []
    for e in err.errors():
        path = ".".join(str(p) for p in e["loc"])
        label = _FIELD_LABELS.get(str(e["loc"][-1]), "") if e["loc"] else ""
        where = f"字段 {path}" + (f"（{label}）" if label else "")
        kind = e["type"]
        if kind == "missing":
            msg = "缺少此项"
        elif kind == "extra_forbidden":
            msg = "不认识的字段（拼写是否有误？）"
        elif kind.startswith("date"):
            msg = f"不是有效日期（{_DATE_HELP}）"
        elif kind in ("int_parsing", "int_type", "int_from_float"):
            msg = "应为整数"
        elif kind == "string_too_short":
            msg = "内容过短或为空"
        elif kind in ("list_type",):
            msg = "应为列表（每行以“- ”开头）"
        elif kind == "value_error":
            msg = str(e.get("ctx", {}).get("error", e["msg"]))
        else:
            msg = f"取值无效（{e['msg']}）"
        out.append(f"{where}：{msg}")
    return out


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so that pydantic reports a bad date against its
    field (PyYAML would fail on 2024-13-40 without saying which field)."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_yaml(path: Path, what: str) -> dict[str, Any]:
    if not path.exists():
        raise JixiaoError(f"找不到{what}文件", Location(file=str(path)))
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except UnicodeDecodeError as exc:
        raise JixiaoError(f"{what}文件不是 UTF-8 编码", Location(file=str(path))) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise JixiaoError(
            f"{what}文件不是有效的 YAML：{getattr(exc, 'problem', exc)}",
            Location(file=str(path), row=row),
        ) from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise JixiaoError(f"{what}文件的顶层应为“字段: 值”的映射", Location(file=str(path)))
    return data


def load_unit(path: str | Path) -> UnitInfo:
    """Read and validate ``unit.yaml``; bad files raise :class:`JixiaoError` in Chinese."""
    p = Path(path)
    data = _read_yaml(p, "单位信息")
    try:
        return UnitInfo.model_validate(data)
    except ValidationError as exc:
        raise JixiaoError("单位信息文件有误", Location(file=str(p)), _explain(exc)) from exc


def load_narrative(path: str | Path) -> Narrative:
    """Read and validate ``narrative.yaml``."""
    p = Path(path)
    data = _read_yaml(p, "报告文字")
    try:
        return Narrative.model_validate(data)
    except ValidationError as exc:
        raise JixiaoError("报告文字文件有误", Location(file=str(p)), _explain(exc)) from exc
