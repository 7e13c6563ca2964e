"""Statements -> requests of the JSON API, against a table's key schema.

Pure: no storage, no clock. The caller looks the table up and runs what comes back
through ``server.dispatch.call``::

    INSERT INTO t VALUE {...}         PutItem, ConditionExpression attribute_not_exists(pk)
                                      (its failure is DuplicateItemException)
    UPDATE t SET .. WHERE key [AND c] UpdateItem, ConditionExpression attribute_exists(pk)
                                      [AND c]: an UPDATE never creates an item (live)
    DELETE FROM t WHERE key [AND c]   DeleteItem [ConditionExpression c]: deleting a missing
                                      item succeeds (live)
    EXISTS(SELECT .. WHERE key AND c) ConditionCheck attribute_exists(pk) AND c
    SELECT .. WHERE pk = v ..         Query per partition key value (``pk = v``,
                                      ``pk IN [..]``, or OR branches that each fix pk),
                                      otherwise Scan (Developer Guide ql-reference.select);
                                      the whole WHERE then filters what was read
    SELECT .. WHERE key (batch, tx)   GetItem / TransactGetItems

"WHERE key" means the top-level AND terms ``keyattr = value`` fix every key attribute
(live text otherwise: "Where clause does not contain a mandatory equality on all key
attributes"); the other terms become the write's condition.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from openddb import errors, limits
from openddb.expressions import ast as expression_ast
from openddb.expressions.evaluate import compare
from openddb.model.item import KeyAttribute
from openddb.model.keys import encode_key_value
from openddb.model.table import Table
from openddb.partiql import ast
from openddb.partiql.conditions import (
    ConditionWriter,
    Placeholders,
    UpdateWriter,
    checked_condition,
    checked_update,
)
from openddb.partiql.values import Binder

PUT, UPDATE, DELETE, CONDITION_CHECK = "Put", "Update", "Delete", "ConditionCheck"
# RETURNING -> ReturnValues.
RETURN_VALUES = {
    None: "NONE",
    "ALL OLD": "ALL_OLD",
    "ALL NEW": "ALL_NEW",
    "MODIFIED OLD": "UPDATED_OLD",
    "MODIFIED NEW": "UPDATED_NEW",
}
KEY_COMPARATORS = {"=": "=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
FLIPPED = {"=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_TABLE_NAME = re.compile(r"[a-zA-Z0-9_.-]+")


@dataclass(frozen=True, slots=True)
class KeySchema:
    partition: KeyAttribute
    sort: KeyAttribute | None

    @property
    def attributes(self) -> tuple[KeyAttribute, ...]:
        return (self.partition,) if self.sort is None else (self.partition, self.sort)


@dataclass(frozen=True, slots=True)
class WriteAction:
    """One write: ``member`` is the TransactWriteItems member (TableName, Item or Key,
    expressions); ``kind`` its action; ``key`` the item's primary key."""

    kind: str
    member: dict[str, Any]
    key: dict[str, Any]
    return_values: str


@dataclass(frozen=True, slots=True)
class ReadAction:
    """One item read by its primary key, and the projection applied to it."""

    table_name: str
    key: dict[str, Any]
    projection: tuple[tuple[str | int, ...], ...] | None


@dataclass(frozen=True, slots=True)
class SelectPlan:
    """How a SELECT reads: ``queries`` are the Query members (KeyConditionExpression and
    its maps, ScanIndexForward), one per partition key value in reading order; None means
    one Scan. ``where`` filters the items read; ``projection`` None means ``*``."""

    table_name: str
    index_name: str | None
    queries: tuple[dict[str, Any], ...] | None
    where: expression_ast.Condition | None
    projection: tuple[tuple[str | int, ...], ...] | None


def check_table_name(name: str) -> None:
    """A name no table can have is refused before it is looked up (DynamoDB Local)."""
    too_short = len(name) < limits.TABLE_NAME_LENGTH_MIN
    if too_short or len(name) > limits.TABLE_NAME_LENGTH_MAX or not _TABLE_NAME.fullmatch(name):
        raise errors.partiql_table_name_invalid()


def table_schema(table: Table) -> KeySchema:
    return KeySchema(table.partition_key, table.sort_key)


# --- writes --------------------------------------------------------------------------------


def insert(statement: ast.Insert, table: Table, binder: Binder) -> WriteAction:
    item = binder.item(statement.item)
    key: dict[str, Any] = {}
    for attribute in table_schema(table).attributes:
        value = item.get(attribute.name)
        if value is None:
            raise errors.partiql_key_absent(attribute.name)
        if next(iter(value)) != attribute.attribute_type:
            raise errors.partiql_key_type_mismatch(attribute.name)
        key[attribute.name] = value
    member = {
        "TableName": table.name,
        "Item": item,
        "ConditionExpression": "attribute_not_exists(#n0)",
        "ExpressionAttributeNames": {"#n0": table.partition_key.name},
    }
    return WriteAction(PUT, member, key, "NONE")


def update(statement: ast.Update, table: Table, binder: Binder) -> WriteAction:
    schema = table_schema(table)
    key, rest = key_of_where(statement.where, schema, binder)
    placeholders = Placeholders()
    update_text = UpdateWriter(binder, placeholders).text(statement.clauses)
    checked_update(update_text, placeholders)
    condition = _write_condition(schema, rest, binder, placeholders, must_exist=True)
    assert condition is not None
    member = {
        "TableName": table.name,
        "Key": key,
        "UpdateExpression": update_text,
        "ConditionExpression": condition,
        **placeholders.members(),
    }
    return WriteAction(UPDATE, member, key, RETURN_VALUES[statement.returning])


def delete(statement: ast.Delete, table: Table, binder: Binder) -> WriteAction:
    schema = table_schema(table)
    key, rest = key_of_where(statement.where, schema, binder)
    placeholders = Placeholders()
    condition = _write_condition(schema, rest, binder, placeholders, must_exist=False)
    member: dict[str, Any] = {"TableName": table.name, "Key": key}
    if condition is not None:
        member["ConditionExpression"] = condition
        member.update(placeholders.members())
    return WriteAction(DELETE, member, key, RETURN_VALUES[statement.returning])


def exists(statement: ast.Exists, table: Table, binder: Binder) -> WriteAction:
    """EXISTS(SELECT ...) in ExecuteTransaction: a ConditionCheck that the item exists and
    meets the rest of the WHERE clause, which must say more than the key (live)."""
    select = statement.select
    if select.index is not None:
        raise errors.partiql_transaction_index_write()
    schema = table_schema(table)
    try:
        key, rest = key_of_where(select.where, schema, binder)
    except errors.ValidationException:
        raise errors.partiql_exists_needs_condition() from None
    if not rest:
        raise errors.partiql_exists_needs_condition()
    placeholders = Placeholders()
    condition = _write_condition(schema, rest, binder, placeholders, must_exist=True)
    assert condition is not None
    member = {
        "TableName": table.name,
        "Key": key,
        "ConditionExpression": condition,
        **placeholders.members(),
    }
    return WriteAction(CONDITION_CHECK, member, key, "NONE")


def _write_condition(
    schema: KeySchema,
    rest: list[ast.Expression],
    binder: Binder,
    placeholders: Placeholders,
    must_exist: bool,
) -> str | None:
    writer = ConditionWriter(binder, placeholders, expression_ast.CONDITION)
    parts = [writer.condition(term) for term in rest]
    if must_exist:
        parts.insert(0, f"attribute_exists({placeholders.name(schema.partition.name)})")
    if not parts:
        return None
    text = " AND ".join(parts)
    checked_condition(expression_ast.CONDITION, text, placeholders)
    return text


def key_of_where(
    where: ast.Expression | None, schema: KeySchema, binder: Binder
) -> tuple[dict[str, Any], list[ast.Expression]]:
    """The primary key the top-level ``AND`` terms fix, and the other terms."""
    if where is None:
        raise errors.partiql_incomplete_key()
    key: dict[str, Any] = {}
    rest: list[ast.Expression] = []
    for term in conjuncts(where):
        match = _key_equality(term, schema)
        if match is None:
            rest.append(term)
            continue
        attribute, value_node = match
        if attribute.name in key:
            raise errors.partiql_multiple_key_conditions(attribute.name)
        value = binder.value(value_node)
        if next(iter(value)) != attribute.attribute_type:
            raise errors.partiql_key_type_mismatch(attribute.name)
        key[attribute.name] = value
    for attribute in schema.attributes:
        if attribute.name not in key:
            raise errors.partiql_incomplete_key()
    return key, rest


def conjuncts(where: ast.Expression) -> tuple[ast.Expression, ...]:
    return where.operands if isinstance(where, ast.And) else (where,)


def _key_equality(
    term: ast.Expression, schema: KeySchema
) -> tuple[KeyAttribute, ast.Expression] | None:
    if not isinstance(term, ast.Comparison) or term.operator != "=":
        return None
    for path, value in ((term.left, term.right), (term.right, term.left)):
        if not isinstance(path, ast.Path) or not _is_value(value):
            continue
        for attribute in schema.attributes:
            if path.elements[0] != attribute.name:
                continue
            if len(path.elements) > 1:
                raise errors.partiql_key_nested(attribute.name)
            return attribute, value
    return None


def _is_value(node: ast.Expression) -> bool:
    return isinstance(node, (*ast.LITERALS, ast.Parameter, ast.ListValue, ast.TupleValue))


# --- reads of one item (BatchExecuteStatement, ExecuteTransaction) ------------------------


def read_by_key(
    select: ast.Select,
    table: Table,
    binder: Binder,
    refused: Callable[[], errors.ValidationException],
    refused_index: Callable[[], errors.ValidationException],
) -> ReadAction:
    """A SELECT whose WHERE clause is exactly the primary key (live: anything else is
    refused with ``refused()``; an index with ``refused_index()``)."""
    if select.index is not None:
        raise refused_index()
    try:
        key, rest = key_of_where(select.where, table_schema(table), binder)
    except errors.ValidationException as error:
        if error.message == errors.partiql_incomplete_key().message:
            raise refused() from None
        raise
    if rest or select.order_by:
        raise refused()
    return ReadAction(table.name, key, _projection(select))


def _projection(select: ast.Select) -> tuple[tuple[str | int, ...], ...] | None:
    if select.projection is None:
        return None
    return tuple(path.elements for path in select.projection)


# --- SELECT --------------------------------------------------------------------------------


def select_plan(
    select: ast.Select, table: Table, binder: Binder, consistent_read: bool
) -> SelectPlan:
    """How to read a SELECT (see :class:`SelectPlan`)."""
    schema = _source_schema(table, select.index, consistent_read)
    where = None
    if select.where is not None:
        placeholders = Placeholders()
        writer = ConditionWriter(binder, placeholders, expression_ast.FILTER)
        text = writer.condition(select.where)
        where = checked_condition(expression_ast.FILTER, text, placeholders)
    queries = None
    if schema is not None and select.where is not None:
        queries = _queries(select, schema, binder)
    elif select.order_by:
        _refuse_order_by(select, schema)
    return SelectPlan(table.name, select.index, queries, where, _projection(select))


def _source_schema(table: Table, index_name: str | None, consistent_read: bool) -> KeySchema | None:
    """The key schema a SELECT reads by: the table's or the index's. None for an index
    whose key has several partition or sort key attributes (it is scanned)."""
    if index_name is None:
        return table_schema(table)
    for member in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        for index in table.description.get(member, ()):
            if index["IndexName"] != index_name:
                continue
            if member == "GlobalSecondaryIndexes" and consistent_read:
                raise errors.partiql_consistent_read_on_global_index()
            return _index_schema(table, index["KeySchema"])
    raise errors.partiql_index_not_found()


def _index_schema(table: Table, key_schema: list[dict[str, str]]) -> KeySchema | None:
    types = {
        definition["AttributeName"]: definition["AttributeType"]
        for definition in table.description["AttributeDefinitions"]
    }
    hashes = [element["AttributeName"] for element in key_schema if element["KeyType"] == "HASH"]
    ranges = [element["AttributeName"] for element in key_schema if element["KeyType"] == "RANGE"]
    if len(hashes) != 1 or len(ranges) > 1:
        return None
    sort = KeyAttribute(ranges[0], types[ranges[0]]) if ranges else None
    return KeySchema(KeyAttribute(hashes[0], types[hashes[0]]), sort)


def _refuse_order_by(select: ast.Select, schema: KeySchema | None) -> None:
    if select.where is None:
        raise errors.partiql_order_by_without_where()
    raise errors.partiql_order_by_without_hash_key()


def _queries(
    select: ast.Select, schema: KeySchema, binder: Binder
) -> tuple[dict[str, Any], ...] | None:
    """One Query member per partition key value the WHERE clause fixes, in reading order."""
    assert select.where is not None
    partitions = _partition_values(select.where, schema.partition, binder)
    if partitions is None:
        if select.order_by:
            raise errors.partiql_order_by_without_hash_key()
        return None
    forward, partitions = _ordering(select, schema, partitions)
    sort = None
    if schema.sort is not None:
        sort = _sort_term(select.where, schema.sort, binder)
    queries = []
    for value in partitions:
        placeholders = Placeholders("k")
        text = f"{placeholders.name(schema.partition.name)} = {placeholders.value(value)}"
        if sort is not None:
            text += " AND " + _sort_text(sort, placeholders)
        queries.append(
            {"KeyConditionExpression": text, "ScanIndexForward": forward, **placeholders.members()}
        )
    return tuple(queries)


def _partition_values(
    where: ast.Expression, partition: KeyAttribute, binder: Binder
) -> list[dict[str, Any]] | None:
    """The partition key values a WHERE clause allows, of the key's type and without
    repeats; None when it allows any (the SELECT scans)."""
    values = _partition_terms(where, partition, binder)
    if values is None:
        return None
    unique: dict[bytes, dict[str, Any]] = {}
    for value in values:
        if next(iter(value)) == partition.attribute_type:
            unique.setdefault(orjson.dumps(value), value)
    return list(unique.values())


def _partition_terms(
    where: ast.Expression, partition: KeyAttribute, binder: Binder
) -> list[dict[str, Any]] | None:
    """From the first top-level AND term that fixes the partition key: ``pk = v``,
    ``pk IN [..]``, or an OR whose every branch does (recursion bounded by the parser's
    nesting limit: each level needs parentheses)."""
    for term in conjuncts(where):
        values = _partition_match(term, partition, binder)
        if values is None and isinstance(term, ast.Or):
            values = _partition_union(term, partition, binder)
        if values is not None:
            return values
    return None


def _partition_union(
    where: ast.Or, partition: KeyAttribute, binder: Binder
) -> list[dict[str, Any]] | None:
    union: list[dict[str, Any]] = []
    for branch in where.operands:
        values = _partition_terms(branch, partition, binder)
        if values is None:
            return None
        union.extend(values)
    return union


def _partition_match(
    term: ast.Expression, partition: KeyAttribute, binder: Binder
) -> list[dict[str, Any]] | None:
    target = (partition.name,)
    if isinstance(term, ast.Comparison) and term.operator == "=":
        for path, value in ((term.left, term.right), (term.right, term.left)):
            if isinstance(path, ast.Path) and path.elements == target and _is_value(value):
                return [binder.value(value)]
        return None
    if not isinstance(term, ast.In) or term.negated:
        return None
    if not isinstance(term.operand, ast.Path) or term.operand.elements != target:
        return None
    if isinstance(term.candidates, ast.Parameter):
        members: list[dict[str, Any]] = binder.parameter(term.candidates).get("L", [])
        return list(members)
    if not all(_is_value(candidate) for candidate in term.candidates):
        return None
    return [binder.value(candidate) for candidate in term.candidates]


def _ordering(
    select: ast.Select, schema: KeySchema, partitions: list[dict[str, Any]]
) -> tuple[bool, list[dict[str, Any]]]:
    """ScanIndexForward and the order of the partitions, from ORDER BY."""
    forward = True
    by_partition: bool | None = None
    for item in select.order_by:
        elements = item.path.elements
        name = ".".join(str(element) for element in elements)
        if elements == (schema.partition.name,):
            by_partition = item.descending
        elif schema.sort is not None and elements == (schema.sort.name,):
            forward = not item.descending
        else:
            raise errors.partiql_order_by_not_key(name)
    if select.order_by and len(partitions) > 1:
        if by_partition is None:
            raise errors.partiql_order_by_hash_key_required()
        kind = schema.partition.attribute_type
        partitions = sorted(
            partitions,
            key=lambda value: encode_key_value(kind, value[kind]),
            reverse=by_partition,
        )
    return forward, partitions


@dataclass(frozen=True, slots=True)
class _SortTerm:
    """A sort key condition usable as a key condition: ``operator`` is a comparator,
    ``BETWEEN`` or ``begins_with``."""

    name: str
    operator: str
    values: tuple[dict[str, Any], ...]


def _sort_term(where: ast.Expression, sort: KeyAttribute, binder: Binder) -> _SortTerm | None:
    """The first top-level term on the sort key a key condition can hold (an optimisation:
    the whole WHERE clause still filters what the Query reads)."""
    target = (sort.name,)
    kind = sort.attribute_type
    for term in conjuncts(where):
        found = _sort_match(term, target, binder)
        if found is None:
            continue
        operator, values = found
        if any(next(iter(value)) != kind for value in values):
            continue
        if operator == "begins_with" and kind == "N":
            continue
        if operator == "BETWEEN" and compare(values[0], values[1]) == 1:
            continue
        return _SortTerm(sort.name, operator, values)
    return None


def _sort_match(
    term: ast.Expression, target: tuple[str], binder: Binder
) -> tuple[str, tuple[dict[str, Any], ...]] | None:
    if isinstance(term, ast.Comparison) and term.operator in KEY_COMPARATORS:
        if _is_target(term.left, target) and _is_value(term.right):
            return term.operator, (binder.value(term.right),)
        if _is_target(term.right, target) and _is_value(term.left):
            return FLIPPED[term.operator], (binder.value(term.left),)
        return None
    if isinstance(term, ast.Between) and not term.negated and _is_target(term.operand, target):
        if _is_value(term.lower) and _is_value(term.upper):
            return "BETWEEN", (binder.value(term.lower), binder.value(term.upper))
        return None
    if isinstance(term, ast.Call) and term.name == "begins_with" and len(term.arguments) == 2:
        subject, prefix = term.arguments
        if _is_target(subject, target) and _is_value(prefix):
            return "begins_with", (binder.value(prefix),)
    return None


def _is_target(node: ast.Expression, target: tuple[str]) -> bool:
    return isinstance(node, ast.Path) and node.elements == target


def _sort_text(sort: _SortTerm, placeholders: Placeholders) -> str:
    name = placeholders.name(sort.name)
    values = [placeholders.value(value) for value in sort.values]
    if sort.operator == "BETWEEN":
        return f"{name} BETWEEN {values[0]} AND {values[1]}"
    if sort.operator == "begins_with":
        return f"begins_with({name}, {values[0]})"
    return f"{name} {sort.operator} {values[0]}"
