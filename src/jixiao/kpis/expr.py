"""The small expression language of KPI definitions, compiled to Ibis.

Conditions and measures in ``definitions.yaml`` are written as Python-like expressions over the
columns of a canonical table and the KPI's parameters, e.g.
``completed_at is not None and completed_at < as_of``. They are parsed with :mod:`ast` and only
a whitelist of node types is accepted, so a definition file can never run code.

Hand-written because no maintained library turns a stored predicate into a portable Ibis
expression: Ibis' deferred ``_`` expressions are Python code (``eval`` would be needed to store
them as data), and raw SQL strings would tie a definition to one engine's dialect.
"""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
}
_ARITH: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}
_FUNCTIONS = ("date", "coalesce")


class ExpressionError(ValueError):
    """A definition expression that cannot be parsed or uses something not allowed."""


def parse(text: str) -> ast.expr:
    """Parse and validate an expression; raises :class:`ExpressionError`."""
    try:
        tree = ast.parse(str(text).strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"表达式语法错误：{text!r}（{exc.msg}）") from exc
    _check(tree.body, text)
    return tree.body


def names(text: str) -> set[str]:
    """The column and parameter names an expression refers to."""
    return {
        n.id for n in ast.walk(parse(text)) if isinstance(n, ast.Name) and n.id not in _FUNCTIONS
    }


def _check(node: ast.AST, text: str) -> None:
    ok = (
        ast.BoolOp,
        ast.And,
        ast.Or,
        ast.UnaryOp,
        ast.Not,
        ast.USub,
        ast.Compare,
        ast.BinOp,
        ast.Name,
        ast.Load,
        ast.Constant,
        ast.List,
        ast.Tuple,
        ast.Call,
        ast.In,
        ast.NotIn,
        ast.Is,
        ast.IsNot,
        *_COMPARE,
        *_ARITH,
    )
    for sub in ast.walk(node):
        if not isinstance(sub, ok):
            raise ExpressionError(f"表达式中不允许使用 {type(sub).__name__}：{text!r}")
        if isinstance(sub, ast.Call) and not (
            isinstance(sub.func, ast.Name) and sub.func.id in _FUNCTIONS and not sub.keywords
        ):
            raise ExpressionError(f"表达式只能调用 {'、'.join(_FUNCTIONS)}：{text!r}")
        if isinstance(sub, ast.Compare) and len(sub.ops) != 1:
            raise ExpressionError(f"请不要连写比较（a < b < c）：{text!r}")


def _literal(value: Any) -> ir.Value:
    if isinstance(value, dt.datetime):
        return ibis.timestamp(value)
    if isinstance(value, dt.date):
        return ibis.date(value)
    return ibis.literal(value)


def to_ibis(text: str, table: ir.Table, params: Mapping[str, Any]) -> ir.Value:
    """Compile ``text`` against ``table``'s columns, then ``params`` (turned into literals)."""
    columns = set(table.columns)

    def name(node: ast.Name) -> Any:
        if node.id in columns:
            return table[node.id]
        if node.id in params:
            return params[node.id]
        raise ExpressionError(f"未知的列或参数「{node.id}」：{text!r}")

    def value(node: ast.expr) -> Any:
        v = walk(node)
        return v if isinstance(v, ir.Value) else _literal(v)

    def walk(node: ast.expr) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return name(node)
        if isinstance(node, ast.List | ast.Tuple):
            return [walk(e) for e in node.elts]
        if isinstance(node, ast.BoolOp):
            parts = [value(v) for v in node.values]
            out = parts[0]
            for p in parts[1:]:
                out = (out & p) if isinstance(node.op, ast.And) else (out | p)
            return out
        if isinstance(node, ast.UnaryOp):
            operand = value(node.operand)
            return ~operand if isinstance(node.op, ast.Not) else -operand
        if isinstance(node, ast.BinOp):
            return _ARITH[type(node.op)](value(node.left), walk(node.right))
        if isinstance(node, ast.Compare):
            left, op, right = node.left, node.ops[0], node.comparators[0]
            if isinstance(op, ast.Is | ast.IsNot):
                if not (isinstance(right, ast.Constant) and right.value is None):
                    raise ExpressionError(f"is 只能与 None 比较：{text!r}")
                v = value(left)
                return v.isnull() if isinstance(op, ast.Is) else v.notnull()
            if isinstance(op, ast.In | ast.NotIn):
                options = walk(right)
                if not isinstance(options, list):
                    raise ExpressionError(f"in 之后须为列表：{text!r}")
                v = value(left)
                return v.isin(options) if isinstance(op, ast.In) else v.notin(options)
            return _COMPARE[type(op)](value(left), walk(right))
        if isinstance(node, ast.Call):
            func = node.func.id  # type: ignore[attr-defined]
            args = [value(a) for a in node.args]
            if func == "date":
                if len(args) != 1:
                    raise ExpressionError(f"date() 只接受一个参数：{text!r}")
                return args[0].date()
            return ibis.coalesce(*args)
        raise ExpressionError(f"无法编译表达式：{text!r}")

    return value(parse(text))
