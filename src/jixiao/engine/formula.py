"""The formula language of framework files: a small, safe arithmetic over fact names.

Formulas come from data files, so they are parsed with a lark grammar and walked by this
module — never handed to Python's ``eval``/``ast``. The language has numbers, fact names
(``staff_in_post``, dotted ``a.b``), ``+ - * /`` (also ``× ÷ −``), parentheses, comparisons,
``min``, ``max``, ``abs`` and ``if(cond, a, b)`` (only the chosen branch is computed, so
``if(x == 0, 0, y / x)`` is safe).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from lark import Lark, Token, Tree
from lark.exceptions import LarkError, UnexpectedInput

GRAMMAR = r"""
?start: expr

?expr: sum
     | sum COMPOP sum          -> compare

?sum: product
    | sum ADDOP product        -> binop

?product: unary
        | product MULOP unary  -> binop

?unary: atom
      | NEGOP unary            -> neg
      | "+" unary

?atom: NUMBER                  -> number
     | NAME _LPAR [expr (_COMMA expr)*] _RPAR -> call
     | NAME                    -> name
     | _LPAR expr _RPAR

COMPOP: ">=" | "<=" | "==" | "!=" | ">" | "<" | "≥" | "≤" | "≠"
ADDOP: "+" | "-" | "−"
NEGOP: "-" | "−"
MULOP: "*" | "/" | "×" | "÷"
_LPAR: "(" | "（"
_RPAR: ")" | "）"
_COMMA: "," | "，"
NAME: /[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*/
NUMBER: /\d+(\.\d+)?/

%import common.WS
%ignore WS
"""

FUNCTIONS = {"min", "max", "abs", "if"}


class FormulaError(ValueError):
    """A formula outside the language (raised at framework load time)."""


@dataclass
class ZeroDivisionInFormula(Exception):
    """A zero denominator: the indicator is not computable."""

    denominator: str
    names: list[str]

    def __str__(self) -> str:
        return f"分母 {self.denominator} 为 0"


@lru_cache(maxsize=512)
def _parser() -> Lark:
    return Lark(GRAMMAR, parser="lalr", propagate_positions=True, maybe_placeholders=False)


@dataclass(frozen=True)
class Formula:
    """A parsed formula: its text, its tree and the fact names it reads."""

    text: str
    tree: Tree
    names: tuple[str, ...]

    def evaluate(self, values: Mapping[str, float]) -> float:
        """Compute with ``values``; raises ``ZeroDivisionInFormula`` on a zero denominator."""
        return _eval(self.tree, values, self.text)

    def render(self, show: Callable[[str], str]) -> str:
        """The formula as text, each name replaced by ``show(name)`` (for reasons)."""
        return _render(self.tree, show, top=True)


@lru_cache(maxsize=2048)
def parse(text: str) -> Formula:
    """Parse ``text``; raise ``FormulaError`` with a Chinese message if it is not a formula."""
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as exc:
        col = getattr(exc, "column", "?")
        raise FormulaError(
            f"公式「{text}」第 {col} 个字符处无法解析（只允许数字、事实名、四则运算、括号、"
            "比较、min/max/abs/if）"
        ) from None
    except LarkError as exc:  # pragma: no cover - other lark failures
        raise FormulaError(f"公式「{text}」无法解析：{exc}") from None
    names: list[str] = []
    for sub in tree.iter_subtrees_topdown():
        if sub.data == "call":
            fname = str(sub.children[0])
            if fname not in FUNCTIONS:
                raise FormulaError(
                    f"公式「{text}」使用了不支持的函数 {fname}（只允许 min、max、abs、if）"
                )
            nargs = len(sub.children) - 1
            if fname == "if" and nargs != 3:
                raise FormulaError(f"公式「{text}」中 if 需要 3 个参数（条件, 成立时, 不成立时）")
            if fname == "abs" and nargs != 1:
                raise FormulaError(f"公式「{text}」中 abs 需要 1 个参数")
            if fname in ("min", "max") and nargs < 1:
                raise FormulaError(f"公式「{text}」中 {fname} 至少需要 1 个参数")
        elif sub.data == "name":
            n = str(sub.children[0])
            if "__" in n:
                # Fact names never need dunders; refusing them keeps look-alikes of Python
                # attribute access out of framework files.
                raise FormulaError(f"公式「{text}」中的名称 {n} 不是有效的事实名")
            if n not in names:
                names.append(n)
    return Formula(text=text, tree=tree, names=tuple(names))


def _text_of(node: Tree | Token, text: str) -> str:
    if isinstance(node, Token):
        return str(node)
    meta = node.meta
    if getattr(meta, "empty", True):
        return ""
    return text[meta.start_pos : meta.end_pos].strip()


def _eval(node: Tree | Token, values: Mapping[str, float], text: str) -> float:
    if isinstance(node, Token):  # pragma: no cover - the grammar always wraps tokens
        raise FormulaError(f"公式「{text}」结构错误")
    kind = node.data
    if kind == "number":
        return float(node.children[0])
    if kind == "name":
        return float(values[str(node.children[0])])
    if kind == "neg":
        return -_eval(node.children[1], values, text)
    if kind == "binop":
        left, op, right = node.children
        a = _eval(left, values, text)
        b = _eval(right, values, text)
        o = str(op)
        if o == "+":
            return a + b
        if o in ("-", "−"):
            return a - b
        if o in ("*", "×"):
            return a * b
        if b == 0:
            names = [str(t.children[0]) for t in _iter_names(right)]
            raise ZeroDivisionInFormula(_text_of(right, text), names)
        return a / b
    if kind == "compare":
        left, op, right = node.children
        a = _eval(left, values, text)
        b = _eval(right, values, text)
        o = str(op)
        result = {
            ">=": a >= b,
            "≥": a >= b,
            "<=": a <= b,
            "≤": a <= b,
            "==": a == b,
            "!=": a != b,
            "≠": a != b,
            ">": a > b,
            "<": a < b,
        }[o]
        return float(result)
    if kind == "call":
        fname = str(node.children[0])
        args = node.children[1:]
        if fname == "if":
            cond = _eval(args[0], values, text)
            return _eval(args[1] if cond != 0 else args[2], values, text)
        vals = [_eval(a, values, text) for a in args]
        if fname == "min":
            return min(vals)
        if fname == "max":
            return max(vals)
        return abs(vals[0])
    raise FormulaError(f"公式「{text}」含不支持的结构 {kind}")  # pragma: no cover


def _iter_names(node: Tree | Token) -> list[Tree]:
    if isinstance(node, Token):
        return []
    return [t for t in node.iter_subtrees_topdown() if t.data == "name"]


_OPS = {"*": "×", "/": "/", "-": "−", "−": "−", "+": "+", "×": "×", "÷": "/"}


def _prec(node: Tree | Token) -> int:
    if isinstance(node, Token):
        return 9
    if node.data == "compare":
        return 0
    if node.data == "binop":
        return 1 if str(node.children[1]) in ("+", "-", "−") else 2
    if node.data == "neg":
        return 3
    return 9


def _render(node: Tree | Token, show: Callable[[str], str], top: bool = False) -> str:
    if isinstance(node, Token):
        return str(node)
    kind = node.data
    if kind == "number":
        return str(node.children[0])
    if kind == "name":
        return show(str(node.children[0]))
    if kind == "neg":
        inner = node.children[1]
        body = _render(inner, show)
        return "−" + (f"（{body}）" if _prec(inner) < 3 else body)
    if kind in ("binop", "compare"):
        left, op, right = node.children
        p = _prec(node)
        lt = _render(left, show)
        rt = _render(right, show)
        if _prec(left) < p:
            lt = f"（{lt}）"
        # Right operands of − and / need brackets at equal precedence too: a−(b−c), a/(b×c).
        if _prec(right) < p or (_prec(right) == p and str(op) not in ("+", "*", "×")):
            rt = f"（{rt}）"
        return f"{lt}{_OPS.get(str(op), str(op))}{rt}"
    if kind == "call":
        fname = str(node.children[0])
        inner = "，".join(_render(a, show) for a in node.children[1:])
        return f"{fname}（{inner}）"
    return ""  # pragma: no cover


def percent_core(formula: Formula) -> Tree | Token | None:
    """For ``X * 100`` (or ``100 * X``) return X, so reasons can show the ratio without ×100."""
    t = formula.tree
    if isinstance(t, Tree) and t.data == "binop" and str(t.children[1]) in ("*", "×"):
        left, _, right = t.children
        if isinstance(right, Tree) and right.data == "number" and float(right.children[0]) == 100:
            return left
        if isinstance(left, Tree) and left.data == "number" and float(left.children[0]) == 100:
            return right
    return None


def render_node(node: Tree | Token, show: Callable[[str], str]) -> str:
    """Render a sub-tree of a formula (e.g. the ratio of a percentage)."""
    return _render(node, show)
