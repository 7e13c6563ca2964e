"""Test helper: expression trees back to text, and Hypothesis strategies for valid trees.

``unparse`` writes the text the parser reads back into an equal tree: every nested
AND/OR group and every NOT operand in one pair of parentheses (never two, which
DynamoDB refuses as redundant).
"""

from __future__ import annotations

from hypothesis import strategies as st

from openddb.expressions import ast
from openddb.expressions.parser import CONDITION_KEYWORDS, UPDATE_KEYWORDS
from openddb.expressions.reserved_words import is_reserved


def unparse(tree: object) -> str:
    if isinstance(tree, ast.Update):
        return _update(tree)
    if isinstance(tree, ast.Projection):
        return ", ".join(_path(path) for path in tree.paths)
    return _condition(tree)


def _path(path: ast.Path) -> str:
    text = ""
    for element in path.elements:
        if isinstance(element, int):
            text += f"[{element}]"
        else:
            shown = element.name if isinstance(element, ast.NameRef) else element
            text += shown if not text else "." + shown
    return text


def _operand(operand: object) -> str:
    if isinstance(operand, ast.Path):
        return _path(operand)
    if isinstance(operand, ast.ValueRef):
        return operand.name
    if isinstance(operand, ast.Function):
        return f"{operand.name}({', '.join(_operand(a) for a in operand.arguments)})"
    assert isinstance(operand, ast.Arithmetic), operand
    return f"{_operand(operand.left)} {operand.operator} {_operand(operand.right)}"


def _condition(node: object) -> str:
    if isinstance(node, (ast.And, ast.Or)):
        word = " AND " if isinstance(node, ast.And) else " OR "
        return word.join(_grouped(operand) for operand in node.operands)
    if isinstance(node, ast.Not):
        return f"NOT ({_condition(node.operand)})"
    if isinstance(node, ast.Comparison):
        return f"{_operand(node.left)} {node.operator} {_operand(node.right)}"
    if isinstance(node, ast.Between):
        lower, upper = _operand(node.lower), _operand(node.upper)
        return f"{_operand(node.operand)} BETWEEN {lower} AND {upper}"
    if isinstance(node, ast.In):
        candidates = ", ".join(_operand(c) for c in node.candidates)
        return f"{_operand(node.operand)} IN ({candidates})"
    return _operand(node)


def _grouped(node: object) -> str:
    text = _condition(node)
    return f"({text})" if isinstance(node, (ast.And, ast.Or)) else text


def _update(update: ast.Update) -> str:
    sections: list[str] = []
    current: str | None = None
    for action in update.actions:
        section = ast.SECTION_OF_ACTION[type(action)]
        if isinstance(action, ast.SetAction):
            text = f"{_path(action.path)} = {_operand(action.value)}"
        elif isinstance(action, ast.RemoveAction):
            text = _path(action.path)
        else:
            text = f"{_path(action.path)} {_operand(action.value)}"
        if section == current:
            sections[-1] += ", " + text
        else:
            sections.append(f"{section} {text}")
            current = section
    return " ".join(sections)


# --- strategies for valid trees ---------------------------------------------------------

# Pools rather than regular expressions keep generation fast.
_KEYWORDS = {word.upper() for word in CONDITION_KEYWORDS | UPDATE_KEYWORDS}
_NAME_POOL = [
    "a",
    "b",
    "x",
    "Artist",
    "song_title",
    "price2",
    "A1",
    "z_",
    "camelCase",
    "q9z",
    "n",
    "tags",
    "m",
    "l",
    "deep_nest",
    "Zz",
    "abc_def_1",
    "k",
    "hits",
    "amount",
]
assert not any(is_reserved(name) or name.upper() in _KEYWORDS for name in _NAME_POOL)
names = st.sampled_from(_NAME_POOL)
name_refs = st.sampled_from(["#a", "#b", "#1", "#_", "#Name", "#n0", "#year"]).map(ast.NameRef)
value_refs = st.sampled_from([":v", ":w", ":1", ":_", ":v0", ":Long_Value"]).map(ast.ValueRef)
nested = st.one_of(names, name_refs, st.integers(min_value=0, max_value=99))
paths = st.builds(
    lambda head, rest: ast.Path((head, *rest)),
    st.one_of(names, name_refs),
    st.lists(nested, max_size=3),
)
sizes = paths.map(lambda path: ast.Function("size", (path,)))
operands = st.one_of(paths, value_refs, sizes)


def _function_conditions() -> st.SearchStrategy[ast.Function]:
    one_path = st.sampled_from(["attribute_exists", "attribute_not_exists"])
    two = st.sampled_from(["attribute_type", "begins_with", "contains"])
    return st.one_of(
        st.builds(lambda name, path: ast.Function(name, (path,)), one_path, paths),
        st.builds(
            lambda name, path, value: ast.Function(name, (path, value)), two, paths, value_refs
        ),
    )


simple_conditions = st.one_of(
    st.builds(ast.Comparison, st.sampled_from(sorted(ast.COMPARATORS)), operands, operands),
    st.builds(ast.Between, operands, operands, operands),
    st.builds(
        lambda o, c: ast.In(o, tuple(c)), operands, st.lists(operands, min_size=1, max_size=4)
    ),
    _function_conditions(),
)
conditions = st.recursive(
    simple_conditions,
    lambda children: st.one_of(
        st.lists(children, min_size=2, max_size=3).map(lambda c: ast.And(tuple(c))),
        st.lists(children, min_size=2, max_size=3).map(lambda c: ast.Or(tuple(c))),
        children.map(ast.Not),
    ),
    max_leaves=12,
)

_set_values = st.one_of(
    paths,
    value_refs,
    st.builds(
        ast.Arithmetic, st.sampled_from(["+", "-"]), st.one_of(paths, value_refs), value_refs
    ),
    st.builds(lambda p, v: ast.Function("if_not_exists", (p, v)), paths, value_refs),
    st.builds(
        lambda a, b: ast.Function("list_append", (a, b)), st.one_of(paths, value_refs), value_refs
    ),
)
_sections = {
    "SET": st.builds(ast.SetAction, paths, _set_values),
    "REMOVE": st.builds(ast.RemoveAction, paths),
    "ADD": st.builds(ast.AddAction, paths, value_refs),
    "DELETE": st.builds(ast.DeleteAction, paths, value_refs),
}


@st.composite
def updates(draw: st.DrawFn) -> ast.Update:
    order = draw(st.permutations(sorted(_sections)))
    count = draw(st.integers(min_value=1, max_value=4))
    actions: list[ast.Action] = []
    for section in order[:count]:
        actions += draw(st.lists(_sections[section], min_size=1, max_size=3))
    return ast.Update(tuple(actions))


projections = st.lists(paths, min_size=1, max_size=5).map(lambda p: ast.Projection(tuple(p)))


# Pieces of the expression language (and near misses) that junk expressions are glued from.
JUNK_PIECES = [
    *"ab#:_()[].,=<>+- !0123\t",
    "AND",
    "OR",
    "NOT",
    "SET",
    "REMOVE",
    "ADD",
    "DELETE",
    "IN",
    "BETWEEN",
    "size",
    "contains",
    "if_not_exists",
    "list_append",
    "attribute_type",
    "begins_with",
    "é",
    "year",
    " ",
]
