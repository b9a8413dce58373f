"""Reading the report's JSON inputs (the evaluation and the KPI report) with Chinese errors, and
finding the units of a batch folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from jixiao.engine.result import SCHEMA as EVAL_SCHEMA
from jixiao.engine.result import Evaluation
from jixiao.errors import JixiaoError, Location
from jixiao.kpis.result import SCHEMA as KPI_SCHEMA
from jixiao.kpis.result import KpiReport


def _read(path: Path, what: str) -> str:
    if not path.is_file():
        raise JixiaoError(f"找不到{what}文件", Location(file=str(path)))
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise JixiaoError(f"{what}文件不是 UTF-8 编码的 JSON", Location(file=str(path))) from exc


def _details(exc: ValidationError) -> list[str]:
    out = []
    for e in exc.errors()[:10]:
        msg = "缺少此项" if e["type"] == "missing" else f"取值无效（{e['msg']}）"
        out.append(f"字段 {'.'.join(str(p) for p in e['loc'])}：{msg}")
    return out


def load_evaluation(path: str | Path) -> Evaluation:
    p = Path(path)
    text = _read(p, "评价结果")
    try:
        ev = Evaluation.from_json(text)
    except ValidationError as exc:
        raise JixiaoError(
            f"不是有效的评价结果（应为 jixiao evaluate --json 输出的 {EVAL_SCHEMA}）",
            Location(file=str(p)),
            _details(exc),
        ) from exc
    if ev.schema_ != EVAL_SCHEMA:
        raise JixiaoError(
            f"评价结果的格式版本为 {ev.schema_}，本版本只能读取 {EVAL_SCHEMA}",
            Location(file=str(p)),
        )
    return ev


def load_kpis(path: str | Path) -> KpiReport:
    p = Path(path)
    text = _read(p, "服务指标")
    try:
        rep = KpiReport.model_validate_json(text)
    except ValidationError as exc:
        raise JixiaoError(
            f"不是有效的服务指标结果（应为 jixiao kpis --json 输出的 {KPI_SCHEMA}）",
            Location(file=str(p)),
            _details(exc),
        ) from exc
    if rep.schema_ != KPI_SCHEMA:
        raise JixiaoError(
            f"服务指标结果的格式版本为 {rep.schema_}，本版本只能读取 {KPI_SCHEMA}",
            Location(file=str(p)),
        )
    return rep


@dataclass(frozen=True)
class BatchUnit:
    """One unit of a batch folder: its evaluation and the files beside it."""

    name: str
    evaluation: Path
    unit: Path
    narrative: Path | None
    kpis: Path | None


def _optional(p: Path) -> Path | None:
    return p if p.is_file() else None


def find_batch(folder: str | Path) -> list[BatchUnit]:
    """Units of a batch folder, in either layout (docs/reports.md):

    * one sub-folder per unit: ``<name>/evaluation.json``, ``<name>/unit.yaml`` and optionally
      ``<name>/narrative.yaml``, ``<name>/kpis.json``;
    * flat: ``<name>.json`` with ``<name>.unit.yaml`` and optionally ``<name>.narrative.yaml``,
      ``<name>.kpis.json``.
    """
    root = Path(folder)
    if not root.is_dir():
        raise JixiaoError("批量生成需要一个文件夹", Location(file=str(root)))
    units: list[BatchUnit] = []
    for sub in sorted(p for p in root.iterdir() if p.is_dir()):
        ev = sub / "evaluation.json"
        if ev.is_file():
            units.append(
                BatchUnit(
                    sub.name,
                    ev,
                    sub / "unit.yaml",
                    _optional(sub / "narrative.yaml"),
                    _optional(sub / "kpis.json"),
                )
            )
    for ev in sorted(root.glob("*.json")):
        if ev.name.endswith(".kpis.json"):
            continue
        name = ev.name[: -len(".json")]
        units.append(
            BatchUnit(
                name,
                ev,
                root / f"{name}.unit.yaml",
                _optional(root / f"{name}.narrative.yaml"),
                _optional(root / f"{name}.kpis.json"),
            )
        )
    seen: dict[str, BatchUnit] = {}
    for u in units:
        if u.name in seen:
            # Both would be written to out/<name>/, the second over the first.
            raise JixiaoError(
                f"单位名称「{u.name}」重复：{seen[u.name].evaluation} 与 {u.evaluation} "
                "都会写入同一输出文件夹；请改名其中一个",
                Location(file=str(u.evaluation)),
            )
        seen[u.name] = u
    if not units:
        raise JixiaoError(
            "文件夹中没有评价结果：应为 <单位>/evaluation.json 或 <单位>.json"
            "（见 docs/reports.md）",
            Location(file=str(root)),
        )
    return units
