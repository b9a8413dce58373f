"""Charts embedded in the report (PNG): indicator scores against their weights, and monthly
service KPIs against their targets. matplotlib's Agg backend with a CJK font from fonts-noto-cjk,
found through font_manager (a chart in the default font would show boxes for Chinese)."""

from __future__ import annotations

import io
from functools import cache

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.figure import Figure as MplFigure

from jixiao.errors import JixiaoError

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Noto Sans CJK JP")


@cache
def cjk_font() -> str:
    """The family name of an installed CJK font; a Chinese error naming the package if none."""
    names = {f.name for f in font_manager.fontManager.ttflist}
    for fam in CJK_FAMILIES:
        if fam in names:
            return fam
    raise JixiaoError(
        "未找到中文字体（Noto CJK）。请安装 fonts-noto-cjk（scripts/setup-system.sh）后重试。"
    )


def _png(fig: MplFigure) -> bytes:
    buf = io.BytesIO()
    # No bbox_inches="tight": it draws the figure twice; the layout is fixed by tight_layout.
    # Light compression: zlib at its default level is most of savefig's time on these charts.
    fig.savefig(buf, format="png", dpi=130, pil_kwargs={"compress_level": 1})
    return buf.getvalue()


def _style() -> dict[str, object]:
    return {"font.family": [cjk_font()], "axes.unicode_minus": False, "font.size": 9}


def scores_chart(items: list[tuple[str, float, float | None]]) -> bytes:
    """Horizontal bars: each indicator's weight (light) and self-score (dark)."""
    with matplotlib.rc_context(_style()):
        height = max(2.2, 0.2 * len(items) + 0.8)
        fig = MplFigure(figsize=(6.3, height))
        ax = fig.add_subplot()
        names = [n for n, _, _ in items][::-1]
        weights = [w for _, w, _ in items][::-1]
        scores = [s or 0.0 for _, _, s in items][::-1]
        ys = range(len(items))
        ax.barh(ys, weights, color="#d9e2ef", label="分值", height=0.7)
        ax.barh(ys, scores, color="#2f5597", label="自评分", height=0.42)
        ax.set_yticks(list(ys), names)
        ax.set_xlabel("分")
        ax.set_xlim(0, max([*weights, 1.0]) * 1.08)
        ax.grid(axis="x", color="#eeeeee")
        ax.set_axisbelow(True)
        ax.legend(loc="lower right", frameon=False)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        fig.tight_layout()
        return _png(fig)


def monthly_chart(series: list[tuple[str, list[str], list[float | None], float | None]]) -> bytes:
    """One panel per KPI: the monthly rate as a line, the target as a dashed line."""
    with matplotlib.rc_context(_style()):
        cols = 2 if len(series) > 1 else 1
        rows = (len(series) + cols - 1) // cols
        fig = MplFigure(figsize=(6.3, 2.3 * rows))
        for i, (label, months, values, target) in enumerate(series):
            ax = fig.add_subplot(rows, cols, i + 1)
            xs = list(range(len(months)))
            ax.plot(
                xs,
                [v if v is not None else float("nan") for v in values],
                marker="o",
                ms=3,
                color="#2f5597",
                label="实际",
            )
            if target is not None:
                ax.axhline(target, color="#c00000", ls="--", lw=1, label="目标")
            ax.set_title(label, fontsize=9)
            # Bare month numbers: "10月11月12月" would run together at this size.
            ax.set_xticks(xs, [m[-2:].lstrip("0") for m in months], fontsize=7)
            ax.set_xlabel("月份", fontsize=7, labelpad=1)
            ax.set_ylabel("%")
            ax.grid(axis="y", color="#eeeeee")
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
            if i == 0:
                ax.legend(frameon=False, fontsize=7, loc="lower left")
        # Fixed margins: tight_layout would draw the whole figure once more to measure it.
        fig.subplots_adjust(
            left=0.09,
            right=0.98,
            top=1 - 0.35 / (2.3 * rows),
            bottom=0.45 / (2.3 * rows),
            hspace=0.55,
            wspace=0.28,
        )
        return _png(fig)
