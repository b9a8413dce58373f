"""Forms of the web pages (labels and messages in Chinese)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from jixiao.engine.result import LeafResult
from jixiao.errors import JixiaoError
from jixiao.web import services


class TaskForm(forms.Form):
    year = forms.IntegerField(label="评价年度", min_value=2000, max_value=2100)
    notice_number = forms.CharField(
        label="通知文号", max_length=100, help_text="如 廉财绩〔2024〕4号"
    )
    title = forms.CharField(
        label="通知标题",
        max_length=300,
        help_text="如 关于开展2023年度部门整体支出绩效自评工作的通知",
    )
    framework_id = forms.ChoiceField(label="指标体系")
    deadline = forms.DateField(label="报送截止日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, frameworks: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework_id"].choices = frameworks
        self.fields["year"].initial = dt.date.today().year - 1

    def clean_deadline(self) -> dt.date:
        d: dt.date = self.cleaned_data["deadline"]
        if d < dt.date.today():
            raise forms.ValidationError("截止日期不能早于今天")
        return d

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        year, framework_id = data.get("year"), data.get("framework_id")
        if year is None or not framework_id:
            return data
        # A framework outside its years would make every unit's evaluation of the task fail.
        try:
            framework = services.load_framework(framework_id)
        except JixiaoError as exc:
            self.add_error("framework_id", str(exc))
            return data
        if year not in framework.years:
            self.add_error(
                "framework_id",
                f"指标体系 {framework_id} 适用于 {framework.years_text()} 年度，"
                f"不适用于 {year} 年度",
            )
        return data


class RevisionForm(forms.Form):
    """Every form that changes a filing carries the revision it was rendered from."""

    revision = forms.IntegerField(widget=forms.HiddenInput)


class UploadForm(RevisionForm):
    file = forms.FileField(label="文件")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class NarrativeForm(RevisionForm):
    """The sections only people write; one item per line, figures come from the evaluation."""

    status = forms.CharField(
        label="单位性质", max_length=100, help_text="如 参公事业单位、公益一类事业单位"
    )
    self_name = forms.CharField(label="报告中的自称", max_length=20, initial="我单位")
    founded = forms.CharField(
        label="成立时间", max_length=20, required=False, help_text="如 2005-11"
    )
    sections = forms.CharField(
        label="内设科室",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="每行一个",
    )
    mandate = forms.CharField(
        label="部门职能", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    priorities = forms.CharField(
        label="年度重点工作", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    targets = forms.CharField(
        label="整体绩效目标", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    results = forms.CharField(
        label="主要成效",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一项，可写成“标题：说明”",
    )
    problems = forms.CharField(
        label="存在问题", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    measures = forms.CharField(
        label="改进措施", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    other = forms.CharField(
        label="其他需说明的情况", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    LIST_FIELDS = ("mandate", "priorities", "targets", "problems", "measures")

    @classmethod
    def initial_from(cls, unit_info: dict[str, Any], narrative: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {
            "status": unit_info.get("status", ""),
            "self_name": unit_info.get("self_name", "我单位"),
            "founded": unit_info.get("founded", ""),
            "sections": "\n".join(unit_info.get("sections", [])),
            "other": narrative.get("other") or "",
        }
        for f in cls.LIST_FIELDS:
            out[f] = "\n".join(narrative.get(f, []))
        out["results"] = "\n".join(
            f"{r['title']}：{r['text']}" if r.get("text") else r["title"]
            for r in narrative.get("results", [])
        )
        return out

    def unit_info(self) -> dict[str, Any]:
        d = self.cleaned_data
        info: dict[str, Any] = {"status": d["status"].strip(), "self_name": d["self_name"].strip()}
        if d["founded"].strip():
            info["founded"] = d["founded"].strip()
        if _lines(d["sections"]):
            info["sections"] = _lines(d["sections"])
        return info

    def narrative(self) -> dict[str, Any]:
        d = self.cleaned_data
        out: dict[str, Any] = {f: _lines(d[f]) for f in self.LIST_FIELDS}
        results = []
        for line in _lines(d["results"]):
            title, sep, text = line.partition("：")
            results.append(
                {"title": title.strip(), "text": text.strip() or None} if sep else {"title": line}
            )
        out["results"] = results
        out["other"] = d["other"].strip() or None
        return out


ANSWER_CHOICES = [("", "未回答"), ("yes", "是"), ("partly", "部分"), ("no", "否")]


def checklist_points(leaves: list[LeafResult]) -> list[tuple[LeafResult, Any]]:
    return [(leaf, p) for leaf in leaves for p in leaf.checklist]


class ChecklistForm(RevisionForm):
    """One answer and one evidence field per checklist point of the evaluation."""

    def __init__(self, *args: Any, leaves: list[LeafResult], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.points: list[tuple[str, LeafResult, Any]] = []
        for leaf, point in checklist_points(leaves):
            name = f"{leaf.code}.{point.id}"
            self.fields[f"a:{name}"] = forms.ChoiceField(
                label=point.text,
                choices=ANSWER_CHOICES,
                required=False,
                initial=point.answer or "",
            )
            self.fields[f"e:{name}"] = forms.CharField(
                label="佐证材料",
                required=False,
                initial=point.evidence or "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.points.append((name, leaf, point))

    def answers(self) -> dict[str, dict[str, str]]:
        return {
            name: {
                "answer": self.cleaned_data.get(f"a:{name}", ""),
                "evidence": self.cleaned_data.get(f"e:{name}", "").strip(),
            }
            for name, _, _ in self.points
        }

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "name": n,
                "leaf": leaf,
                "point": p,
                "answer": self[f"a:{n}"],
                "evidence": self[f"e:{n}"],
            }
            for n, leaf, p in self.points
        ]


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class TokenForm(forms.Form):
    name = forms.CharField(label="令牌用途", max_length=100, help_text="如 办件系统每日推送")
