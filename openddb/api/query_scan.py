"""Query and Scan: pages of items in key order, with filters, projections and Select.

Both handlers read as the same steps (STYLE rule 4):

1. request checks that need no table, in DynamoDB's order (dynalite's
   validations/query.js and scan.js; moto's aws_verified tests for Select): Select
   against the projection, expression vs. legacy members, legacy filters,
   AttributesToGet, the start key's values, (Query) the key condition members,
   (Scan) Segment/TotalSegments, then the expressions and their placeholders;
2. the table, or with ``IndexName`` one of its secondary indexes (:class:`_Source` is
   what is read), and the checks that need its key schema: the key condition, the start
   key, key attributes in filters and projections;
3. one page read through :func:`openddb.model.paging.read_page`, in chunks;
4. the response: Items (unless Select=COUNT), Count after the filter, ScannedCount
   before it, LastEvaluatedKey when the page stopped early, ConsumedCapacity over
   the summed size of the items read, rounded up once (Developer Guide "Read/write
   capacity mode": a Query of 1,500 items of 64 bytes reads 96 KB = 24 units).

**Indexes** (model/index.py). A read of an index reads its entries -- the projected
attributes -- in index key order, entries with equal index keys in table key order; a
GSI is eventually consistent only (ConsistentRead refused) and cannot answer attributes
it does not project (Select ALL_ATTRIBUTES refused unless its projection is ALL). An LSI
read that needs attributes its projection lacks (Select ALL_ATTRIBUTES, or a projection
or filter naming them) fetches each item from the table, which costs the item's own
read units on top of the entries' (Developer Guide "Local secondary indexes"). Without
Select or a projection, an index read answers ALL_PROJECTED_ATTRIBUTES (API reference
Query). A GSI still being built answers "Cannot read from backfilling global secondary
index".

Query reads one item collection in sort key order; ``ScanIndexForward=false`` walks
the storage index backwards (SQL ``ORDER BY sort_key DESC``), never sorting in
Python. Scan reads the table in hash token order (model/keys.py), so a parallel
scan's ``Segment`` is a contiguous token range and segments never overlap.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from openddb import errors, limits
from openddb.api.common import data_plane_table
from openddb.context import Context
from openddb.expressions import ast, key_condition, legacy, resolve
from openddb.expressions.evaluate import evaluate, project
from openddb.model import paging
from openddb.model.capacity import consumed_capacity, read_units
from openddb.model.index import SecondaryIndex, find_index, index_read_units
from openddb.model.item import KeyAttribute, PrimaryKey
from openddb.model.keys import TOKEN_SPACE, encode_key_value, hash_token, segment_bounds, segment_of
from openddb.model.table import Table
from openddb.storage.engine import IndexQueryPosition

SPECIFIC_ATTRIBUTES = "SPECIFIC_ATTRIBUTES"
ALL_ATTRIBUTES = "ALL_ATTRIBUTES"
ALL_PROJECTED_ATTRIBUTES = "ALL_PROJECTED_ATTRIBUTES"
COUNT = "COUNT"

QUERY_EXPRESSIONS = (ast.PROJECTION, ast.FILTER, ast.KEY_CONDITION)
QUERY_LEGACY: tuple[str, ...] = (
    "AttributesToGet",
    "QueryFilter",
    "ConditionalOperator",
    "KeyConditions",
)
SCAN_EXPRESSIONS = (ast.PROJECTION, ast.FILTER)
SCAN_LEGACY = ("AttributesToGet", "ScanFilter", "ConditionalOperator")
# The member names DynamoDB uses when a filter names a key attribute (dynalite).
FILTER_EXPRESSION_LABEL = "Filter Expression"
QUERY_FILTER_LABEL = "QueryFilter"


@dataclass(frozen=True, slots=True)
class _Reading:
    """What a request asks of the items read: filter, projection, Select=COUNT."""

    filter: ast.Condition | None
    projection: ast.Projection | None
    count_only: bool


@dataclass(frozen=True, slots=True)
class _Source:
    """What a Query or Scan reads: the table, or one of its secondary indexes (``index``)
    with the index key schema and its own entries."""

    table: Table
    partition: KeyAttribute
    sort: KeyAttribute | None
    index: SecondaryIndex | None = None


# --- Query --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _QueryRequest:
    """A Query's members checked before the table is looked up."""

    key_parts: list[key_condition.Part] | None  # None: legacy KeyConditions
    reading: _Reading
    exclusive_start_key: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class _QueryRange:
    """Where a Query reads: one item collection, a sort key range, a direction."""

    partition_key: bytes
    sort_range: paging.SortKeyRange
    forward: bool
    index_start: IndexQueryPosition | None = None  # an index read's ExclusiveStartKey


def query(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """Query: one item collection, in sort key order (reversed with ScanIndexForward=false).

    Raises ResourceNotFoundException and ValidationException (key conditions, start
    key, Select, filters on key attributes, expressions).
    """
    checked = _checked_query(request)
    source = _source(ctx, request)
    query_range = _query_range(request, checked, source)
    _check_key_paths(source, checked.reading.projection, None)
    if request.get("QueryFilter") is not None:
        _refuse_key_filter(source, request["QueryFilter"], QUERY_FILTER_LABEL)
    elif checked.reading.filter is not None:
        _refuse_key_filter(source, _heads(checked.reading.filter), FILTER_EXPRESSION_LABEL)
    fetch = _query_fetch(ctx, source, query_range)
    page = paging.read_page(fetch, request.get("Limit"), limits.QUERY_PAGE_BYTES_MAX)
    return _response(ctx, request, source, checked.reading, page)


def _query_fetch(ctx: Context, source: _Source, query_range: _QueryRange) -> paging.Fetch:
    """The storage read of a Query: one item collection of the table, or one partition of
    an index (restarting after a row's index sort key *and* table key)."""
    engine, table_id = ctx.engine, source.table.table_id
    partition_key, forward = query_range.partition_key, query_range.forward
    token = hash_token(partition_key)
    index = source.index
    if index is not None:
        bounds = query_range.sort_range

        def fetch_index(after: paging.Row | None, count: int) -> list[paging.Row]:
            position = query_range.index_start if after is None else (after[2], after[5], after[6])
            return list(engine.query_index(
                table_id, index.number, token, partition_key, bounds.lower, bounds.upper,
                forward, position, count,
            ))

        return fetch_index

    def fetch(after: paging.Row | None, count: int) -> list[paging.Row]:
        bounds = query_range.sort_range
        if after is not None:
            bounds = bounds.after(after[2], forward)
        return list(engine.query(
            table_id, token, partition_key, bounds.lower, bounds.upper, forward, count
        ))

    return fetch


def _checked_query(request: dict[str, Any]) -> _QueryRequest:
    """The checks that need no table, in dynalite's order (validations/query.js)."""
    _check_select(request, framed=True)
    key_text = request.get("KeyConditionExpression")
    legacy_members = QUERY_LEGACY
    if key_text is None:
        # KeyConditions may go with FilterExpression / ProjectionExpression (dynalite).
        legacy_members = QUERY_LEGACY[:-1]
    resolve.check_parameters(request, QUERY_EXPRESSIONS, legacy_members)
    legacy_filter = _legacy_filter(request, "QueryFilter")
    legacy_projection = _attributes_to_get(request)
    exclusive_start_key = _start_key_values(request)
    if request.get("KeyConditions") is None and key_text is None:
        raise errors.key_conditions_required()
    placeholders = resolve.placeholders(request)
    key_tree = None
    if key_text is not None:
        key_tree = resolve.condition(ast.KEY_CONDITION, key_text, placeholders)
    reading = _reading(request, placeholders, legacy_filter, legacy_projection)
    resolve.check_unused(placeholders)
    key_parts = None if key_tree is None else key_condition.parts_of(key_tree)
    return _QueryRequest(key_parts, reading, exclusive_start_key)


def _query_range(request: dict[str, Any], checked: _QueryRequest, source: _Source) -> _QueryRange:
    """The key condition and the start key against the key schema (dynalite
    actions/query.js: start key attributes first, then the conditions, then the start
    key against the conditions)."""
    start: PrimaryKey | None = None
    index_start = None
    if checked.exclusive_start_key is not None and source.index is not None:
        index_start = paging.index_start_key(
            checked.exclusive_start_key, source.table, source.index, scan=False
        )
        start = PrimaryKey(index_start.hash_token, index_start.partition_key, index_start.sort_key)
    elif checked.exclusive_start_key is not None:
        start = paging.query_start_key(checked.exclusive_start_key, source.partition, source.sort)
    if source.index is not None and source.index.multi_attribute:
        return _multi_attribute_range(request, checked, source.index, index_start)
    if checked.key_parts is not None:
        condition = key_condition.match_schema(checked.key_parts, source.partition, source.sort)
    else:
        condition = legacy.key_conditions(request["KeyConditions"], source.partition, source.sort)
    partition_type = source.partition.attribute_type
    partition_key = encode_key_value(partition_type, condition.partition_value[partition_type])
    sort_range = paging.sort_key_range(condition.sort, source.sort)
    forward = request.get("ScanIndexForward", True)
    if start is not None:
        _check_query_start(start, partition_key, condition, sort_range)
    if index_start is not None:
        return _QueryRange(partition_key, sort_range, forward, index_start.query_position)
    if start is not None:
        sort_range = sort_range.after(start.sort_key, forward)
    return _QueryRange(partition_key, sort_range, forward)


def _multi_attribute_range(
    request: dict[str, Any],
    checked: _QueryRequest,
    index: SecondaryIndex,
    index_start: paging.IndexStart | None,
) -> _QueryRange:
    """A Query of an index with a multi-attribute key (KeyConditionExpression only: the
    legacy KeyConditions cannot name more than two attributes)."""
    if checked.key_parts is None:
        raise errors.not_supported_yet("KeyConditions")
    partition_key, sort_range = paging.multi_attribute_key_range(checked.key_parts, index)
    forward = request.get("ScanIndexForward", True)
    if index_start is None:
        return _QueryRange(partition_key, sort_range, forward)
    if index_start.partition_key != partition_key:
        raise errors.starting_key_outside_query()
    if not sort_range.contains(index_start.sort_key):
        raise errors.starting_key_outside_range()
    return _QueryRange(partition_key, sort_range, forward, index_start.query_position)


def _check_query_start(
    start: PrimaryKey,
    partition_key: bytes,
    condition: key_condition.KeyCondition,
    sort_range: paging.SortKeyRange,
) -> None:
    """The start key against the key condition (dynalite actions/query.js order)."""
    if condition.sort is None:
        if start.partition_key != partition_key:
            raise errors.starting_key_outside_query()
        return
    if not sort_range.contains(start.sort_key):
        raise errors.starting_key_outside_range()
    if start.partition_key != partition_key:
        raise errors.starting_key_other_partition()


# --- Scan ---------------------------------------------------------------------------------


def scan(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """Scan: the whole table (or one parallel-scan segment) in hash token order.

    Raises ResourceNotFoundException and ValidationException (Segment/TotalSegments,
    start key, Select, expressions).
    """
    _check_select(request, framed=False)
    resolve.check_parameters(request, SCAN_EXPRESSIONS, SCAN_LEGACY)
    legacy_projection = _attributes_to_get(request)
    legacy_filter = _legacy_filter(request, "ScanFilter")
    exclusive_start_key = _start_key_values(request)
    token_low, token_high = _segment(request)
    placeholders = resolve.placeholders(request)
    reading = _reading(request, placeholders, legacy_filter, legacy_projection)
    resolve.check_unused(placeholders)
    source = _source(ctx, request)
    start = None
    if exclusive_start_key is not None:
        start = _scan_start(request, source, exclusive_start_key)
    _check_key_paths(source, reading.projection, reading.filter)
    fetch = _scan_fetch(ctx, source, token_low, token_high, start)
    page = paging.read_page(fetch, request.get("Limit"), limits.SCAN_PAGE_BYTES_MAX)
    return _response(ctx, request, source, reading, page)


def _scan_start(
    request: dict[str, Any], source: _Source, exclusive_start_key: dict[str, Any]
) -> tuple[Any, ...]:
    """The Scan position of ExclusiveStartKey, which must lie in the requested segment."""
    if source.index is not None:
        index_start = paging.index_start_key(
            exclusive_start_key, source.table, source.index, scan=True
        )
        token = index_start.hash_token
        position: tuple[Any, ...] = index_start.scan_position
    else:
        key = paging.scan_start_key(exclusive_start_key, source.partition, source.sort)
        token, position = key.hash_token, (key.hash_token, key.partition_key, key.sort_key)
    total_segments = request.get("TotalSegments")
    if total_segments is not None and total_segments > 1:
        segment = request["Segment"]
        if segment_of(token, total_segments) != segment:
            raise errors.starting_key_wrong_segment(total_segments, segment)
    return position


def _scan_fetch(
    ctx: Context, source: _Source, token_low: int, token_high: int, start: Any
) -> paging.Fetch:
    """The storage read of a Scan: the table's items or an index's entries in hash token
    order, from ``start`` (a position, None: the beginning)."""
    engine, table_id = ctx.engine, source.table.table_id
    index = source.index
    if index is not None:

        def fetch_index(after: paging.Row | None, count: int) -> list[paging.Row]:
            position = start if after is None else (after[0], after[1], after[2], after[5],
                                                    after[6])
            return list(engine.scan_index(
                table_id, index.number, token_low, token_high, position, count
            ))

        return fetch_index

    def fetch(after: paging.Row | None, count: int) -> list[paging.Row]:
        position = start if after is None else paging.position_of(after)
        return list(engine.scan(table_id, token_low, token_high, position, count))

    return fetch


def _segment(request: dict[str, Any]) -> tuple[int, int]:
    """The hash token range ``[low, high)`` to scan: one segment or the whole space."""
    segment = request.get("Segment")
    total_segments = request.get("TotalSegments")
    if segment is not None and total_segments is None:
        raise errors.segment_without_total_segments()
    if total_segments is None:
        return 0, TOKEN_SPACE
    assert 1 <= total_segments <= limits.SCAN_TOTAL_SEGMENTS_MAX, total_segments
    if segment is None:
        raise errors.total_segments_without_segment()
    if segment >= total_segments:
        raise errors.segment_not_below_total(segment, total_segments)
    return segment_bounds(segment, total_segments)


# --- shared steps ---------------------------------------------------------------------------


def _check_select(request: dict[str, Any], framed: bool) -> None:
    """Select against ProjectionExpression / AttributesToGet / IndexName (moto's
    aws_verified tests; the projection text wins when two rules fail, paritysuite)."""
    select = request.get("Select")
    has_expression = request.get("ProjectionExpression") is not None
    has_names = request.get("AttributesToGet") is not None
    if select is not None and select != SPECIFIC_ATTRIBUTES:
        if has_expression:
            raise errors.select_with_projection("ProjectionExpression", select, framed)
        if has_names:
            raise errors.select_with_projection("AttributesToGet", select, framed)
    if select == ALL_PROJECTED_ATTRIBUTES and request.get("IndexName") is None:
        raise errors.select_projected_without_index(framed)
    if select == SPECIFIC_ATTRIBUTES and not (has_expression or has_names):
        raise errors.select_specific_without_projection(framed)


def _legacy_filter(request: dict[str, Any], member: str) -> ast.Condition | None:
    conditions = request.get(member)
    conditional_operator = request.get("ConditionalOperator")
    if conditions is None:
        if conditional_operator is not None:
            raise errors.legacy_conditional_operator_alone()
        return None
    return legacy.filter_conditions(conditions, conditional_operator)


def _attributes_to_get(request: dict[str, Any]) -> ast.Projection | None:
    names = request.get("AttributesToGet")
    return None if names is None else legacy.attributes_to_get(names)


def _start_key_values(request: dict[str, Any]) -> dict[str, Any] | None:
    exclusive_start_key: dict[str, Any] | None = request.get("ExclusiveStartKey")
    if exclusive_start_key is not None:
        paging.check_start_key_values(exclusive_start_key)
    return exclusive_start_key


def _reading(
    request: dict[str, Any],
    placeholders: resolve.Placeholders,
    legacy_filter: ast.Condition | None,
    legacy_projection: ast.Projection | None,
) -> _Reading:
    """Filter then projection, resolved in dynalite's expression order."""
    condition = legacy_filter
    filter_text = request.get("FilterExpression")
    if filter_text is not None:
        condition = resolve.condition(ast.FILTER, filter_text, placeholders)
    projection = legacy_projection
    projection_text = request.get("ProjectionExpression")
    if projection_text is not None:
        projection = resolve.projection(projection_text, placeholders)
    return _Reading(condition, projection, request.get("Select") == COUNT)


def _source(ctx: Context, request: dict[str, Any]) -> _Source:
    """The table, or with IndexName one of its secondary indexes (a GSI being deleted is
    no longer one)."""
    table = data_plane_table(ctx, request["TableName"])
    index_name = request.get("IndexName")
    if index_name is None:
        return _Source(table, table.partition_key, table.sort_key)
    global_indexes = _index_names(table, "GlobalSecondaryIndexes")
    if index_name not in global_indexes and index_name not in _index_names(
        table, "LocalSecondaryIndexes"
    ):
        raise errors.index_not_on_table(index_name)
    if index_name in global_indexes and request.get("ConsistentRead"):
        raise errors.consistent_read_on_global_index()
    index = find_index(table, index_name)
    if index is None:  # described before openddb kept index entries (README)
        raise errors.not_supported_yet("IndexName")
    if index.is_global and index.projected is not None and (
        request.get("Select") == ALL_ATTRIBUTES
    ):
        raise errors.select_all_attributes_on_global_index(index_name)
    if not index.readable:
        raise errors.index_backfilling(index_name)
    return _Source(table, index.partition[0], index.sort[0] if index.sort else None, index)


def _index_names(table: Table, member: str) -> list[str]:
    return [index["IndexName"] for index in table.description.get(member, [])]


def _heads(condition: ast.Condition) -> set[str]:
    """The top-level attribute names a resolved condition reads."""
    return {str(path.elements[0]) for path in _paths(condition)}


def _paths(condition: ast.Condition) -> Iterator[ast.Path]:
    """Every document path of a resolved condition (iterative: trees are depth-limited
    by the parser, but a stack needs no recursion at all)."""
    stack: list[Any] = [condition]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is ast.Path:
            yield node
        elif kind is ast.And or kind is ast.Or:
            stack.extend(node.operands)
        elif kind is ast.Not:
            stack.append(node.operand)
        elif kind is ast.Comparison:
            stack += [node.left, node.right]
        elif kind is ast.Between:
            stack += [node.operand, node.lower, node.upper]
        elif kind is ast.In:
            stack.append(node.operand)
            stack.extend(node.candidates)
        elif kind is ast.Function:
            stack.extend(node.arguments)


def _refuse_key_filter(source: _Source, names: Any, label: str) -> None:
    """A Query filter may not read the key attributes of what it queries (API reference
    Query); reported for the partition key first (dynalite)."""
    attributes: tuple[KeyAttribute | None, ...] = (source.partition, source.sort)
    if source.index is not None:
        attributes = source.index.key_attributes
    for attribute in attributes:
        if attribute is not None and attribute.name in names:
            raise errors.filter_on_key_attribute(label, attribute.name)


def _check_key_paths(
    source: _Source, projection: ast.Projection | None, condition: ast.Condition | None
) -> None:
    """Key attributes are scalars: no projection or filter path may reach into one
    (dynalite validateKeyPaths; table keys first, then index keys)."""
    paths: list[ast.Path] = [] if projection is None else list(projection.paths)
    if condition is not None:
        paths += list(_paths(condition))
    nested = {str(path.elements[0]) for path in paths if len(path.elements) > 1}
    if not nested:
        return
    table = source.table
    for attribute in (table.partition_key, table.sort_key):
        if attribute is not None and attribute.name in nested:
            raise errors.key_attribute_nested(attribute.name, of_index=False)
    for member in ("LocalSecondaryIndexes", "GlobalSecondaryIndexes"):
        for index in table.description.get(member, []):
            for element in index["KeySchema"]:
                if element["AttributeName"] in nested:
                    raise errors.key_attribute_nested(element["AttributeName"], of_index=True)


def _response(
    ctx: Context, request: dict[str, Any], source: _Source, reading: _Reading, page: paging.Page
) -> dict[str, Any]:
    rows = page.rows
    fetched: list[int] = []
    if source.index is not None and _fetches_items(request, source.index, reading):
        rows, fetched = _with_table_items(ctx, source.table, rows)
    items = _items(rows, reading)
    response: dict[str, Any] = {"Count": len(items), "ScannedCount": len(page.rows)}
    if not reading.count_only:
        response["Items"] = items
    if page.stopped:
        response["LastEvaluatedKey"] = _last_evaluated_key(source, page.rows[-1])
    capacity = _read_capacity(request, source, page.read_bytes, fetched)
    if capacity is not None:
        response["ConsumedCapacity"] = capacity
    return response


def _last_evaluated_key(source: _Source, row: paging.Row) -> dict[str, Any]:
    if source.index is not None:
        return paging.index_last_evaluated_key(row, source.table, source.index)
    return paging.last_evaluated_key(row, source.partition, source.sort)


def _fetches_items(request: dict[str, Any], index: SecondaryIndex, reading: _Reading) -> bool:
    """An LSI read needing attributes its projection lacks reads the table's items (a GSI
    cannot: Select ALL_ATTRIBUTES was refused, and other attributes are just absent)."""
    projected = index.projected
    if index.is_global or projected is None:
        return False
    if request.get("Select") == ALL_ATTRIBUTES:
        return True
    paths: list[ast.Path] = []
    if reading.projection is not None:
        paths += reading.projection.paths
    if reading.filter is not None:
        paths += _paths(reading.filter)
    return any(str(path.elements[0]) not in projected for path in paths)


def _with_table_items(
    ctx: Context, table: Table, rows: list[paging.Row]
) -> tuple[list[paging.Row], list[int]]:
    """The rows with each entry replaced by its table item, and the sizes of the items
    fetched (an item deleted since keeps its entry: reads are not snapshots)."""
    fetched_rows = []
    sizes = []
    for row in rows:
        table_partition_key, table_sort_key = row[5], row[6]
        stored = ctx.engine.get_item(
            table.table_id, hash_token(table_partition_key), table_partition_key, table_sort_key
        )
        if stored is None:
            fetched_rows.append(row)
            continue
        sizes.append(stored[1])
        fetched_rows.append((row[0], row[1], row[2], stored[0], stored[1], *row[5:]))
    return fetched_rows, sizes


def _read_capacity(
    request: dict[str, Any], source: _Source, read_bytes: int, fetched: list[int]
) -> dict[str, Any] | None:
    """ConsumedCapacity of a page: the table's units, or an index's (entries read, plus the
    table items an LSI read fetched, charged to the table)."""
    return_consumed_capacity = request.get("ReturnConsumedCapacity")
    consistent = bool(request.get("ConsistentRead"))
    index = source.index
    if index is None:
        return consumed_capacity(
            return_consumed_capacity, source.table.name, read_units(read_bytes, consistent),
            "Read",
        )
    if return_consumed_capacity not in ("TOTAL", "INDEXES"):
        return None
    index_units = index_read_units(read_bytes, [], consistent)
    table_units = index_read_units(0, fetched, consistent) - index_read_units(0, [], consistent)
    total = index_units + table_units
    consumed: dict[str, Any] = {
        "TableName": source.table.name, "CapacityUnits": total, "ReadCapacityUnits": total
    }
    if return_consumed_capacity == "INDEXES":
        consumed["Table"] = {"CapacityUnits": table_units, "ReadCapacityUnits": table_units}
        member = "GlobalSecondaryIndexes" if index.is_global else "LocalSecondaryIndexes"
        consumed[member] = {
            index.name: {"CapacityUnits": index_units, "ReadCapacityUnits": index_units}
        }
    return consumed


def _items(rows: list[paging.Row], reading: _Reading) -> list[Any]:
    """The items a page returns: filtered, projected; stored JSON as is when neither."""
    condition, projection = reading.filter, reading.projection
    if condition is None and projection is None:
        return [orjson.Fragment(row[3]) for row in rows]
    items = []
    for row in rows:
        item = orjson.loads(row[3])
        if condition is not None and not evaluate(condition, item):
            continue
        items.append(item if projection is None else project(item, projection))
    return items
