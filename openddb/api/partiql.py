"""PartiQL: ExecuteStatement BatchExecuteStatement ExecuteTransaction.

Each handler reads as the same steps:

1. parse each statement (``partiql/parser.py``, cached by text), check its ``Parameters``
   (their values as any AttributeValue, then their number against the ``?``);
2. look the table up and translate the statement into requests of the JSON API
   (``partiql/translate.py``): INSERT -> PutItem, UPDATE -> UpdateItem, DELETE ->
   DeleteItem, SELECT -> Query (per partition key value) or Scan, a SELECT by key in a
   batch -> GetItem, a transaction -> TransactGetItems / TransactWriteItems;
3. run them through ``server.dispatch.call``, the entry point of HTTP: shapes, the
   throughput hook (capacity, throttling), conditions, stream records and indexes all
   behave exactly as for the JSON API;
4. shape the answer: ``Items`` (``[]`` for a write, the RETURNING values otherwise),
   ``NextToken`` for a SELECT page that stopped early, ``ConsumedCapacity``.

**SELECT pages.** A page stops, as a Query or Scan page does, after ``Limit`` items read
or 1 MB; the WHERE clause then filters them (an empty page with a NextToken is normal).
A SELECT that reads several partitions (``pk IN [..]``) runs one Query after the other,
carrying ``Limit`` across them. The NextToken is opaque: base64 of the position (which
Query, its LastEvaluatedKey), when it was issued, and digests of the caller's namespace
and of the Statement with its Parameters; another statement, another caller or a token
older than an hour is refused with DynamoDB Local's texts.

Sources: API reference ExecuteStatement / BatchExecuteStatement / ExecuteTransaction;
Developer Guide ql-reference.*; texts in errors.py (PartiQL section).
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import orjson

from openddb import errors, limits
from openddb.api.common import data_plane_table
from openddb.context import Context
from openddb.expressions.evaluate import evaluate, lookup
from openddb.model.attribute_value import validate_value
from openddb.model.table import Table
from openddb.partiql import ast, translate
from openddb.partiql.parser import parse
from openddb.partiql.values import Binder, check_parameter
from openddb.protocol.json_1_0 import DYNAMODB_SERVICE

T = TypeVar("T")

WRITE_OPERATIONS = {
    translate.PUT: "PutItem",
    translate.UPDATE: "UpdateItem",
    translate.DELETE: "DeleteItem",
}
# Exception -> BatchStatementError Code (API reference BatchStatementError).
BATCH_ERROR_CODES = {
    "ConditionalCheckFailedException": "ConditionalCheckFailed",
    "DuplicateItemException": errors.REASON_DUPLICATE_ITEM,
    "ValidationException": "ValidationError",
    "ResourceNotFoundException": "ResourceNotFound",
    "ProvisionedThroughputExceededException": "ProvisionedThroughputExceeded",
    "ThrottlingException": "ThrottlingError",
    "RequestLimitExceeded": "RequestLimitExceeded",
    "ItemCollectionSizeLimitExceededException": "ItemCollectionSizeLimitExceeded",
    "TransactionConflictException": "TransactionConflict",
}
NEXT_TOKEN_VERSION = 1
# Members of a ConsumedCapacity that add up.
CAPACITY_NUMBERS = ("CapacityUnits", "ReadCapacityUnits", "WriteCapacityUnits")
CAPACITY_MAPS = ("GlobalSecondaryIndexes", "LocalSecondaryIndexes")


# --- ExecuteStatement ----------------------------------------------------------------------


def execute_statement(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """ExecuteStatement: one SELECT (a page of it), INSERT, UPDATE or DELETE.

    Raises ValidationException (statement texts in errors.py), ResourceNotFoundException,
    ConditionalCheckFailedException, DuplicateItemException, and what the JSON API's
    handlers raise for the same request.
    """
    parsed = parsed_statement(request["Statement"])
    binder = _binder(request.get("Parameters"), parsed)
    statement = parsed.statement
    if isinstance(statement, ast.Select):
        return _select(ctx, request, statement, binder)
    if isinstance(statement, ast.Exists):
        raise errors.partiql_exists_outside_transaction()
    if isinstance(statement, ast.Unsupported):
        raise errors.partiql_unsupported_operation(statement.kind)
    action = _write_action(ctx, statement, binder)
    response = _write(ctx, action, request, request)
    items = [response["Attributes"]] if "Attributes" in response else []
    return _with_capacity({"Items": items}, response.get("ConsumedCapacity"))


@functools.lru_cache(maxsize=limits.PARTIQL_STATEMENT_CACHE_ENTRIES_MAX)
def parsed_statement(text: str) -> ast.Parsed:
    """The statement tree of ``text`` (trees are immutable: shared by all requests)."""
    assert len(text) <= limits.PARTIQL_STATEMENT_CHARS_MAX, len(text)
    return parse(text)


def _binder(parameters: list[Any] | None, parsed: ast.Parsed) -> Binder:
    """Each parameter checked as an AttributeValue (live: the JSON API's texts), then
    their number against the statement's ``?``."""
    members = parameters or []
    for parameter in members:
        check_parameter(parameter)
        validate_value(parameter)
    if len(members) != parsed.parameter_count:
        raise errors.partiql_parameter_count()
    return Binder(members)


def _table(ctx: Context, table_name: str) -> Table:
    translate.check_table_name(table_name)
    return data_plane_table(ctx, table_name)


def _write_action(
    ctx: Context, statement: ast.Insert | ast.Update | ast.Delete, binder: Binder
) -> translate.WriteAction:
    table = _table(ctx, statement.table)
    if isinstance(statement, ast.Insert):
        return translate.insert(statement, table, binder)
    if isinstance(statement, ast.Update):
        return translate.update(statement, table, binder)
    return translate.delete(statement, table, binder)


def _write(
    ctx: Context,
    action: translate.WriteAction,
    options: dict[str, Any],
    request: dict[str, Any],
) -> dict[str, Any]:
    """Run one write through its JSON API handler. ``options``: where the statement's
    ReturnValuesOnConditionCheckFailure is; ``request``: ReturnConsumedCapacity."""
    inner = dict(action.member)
    if action.return_values != "NONE":
        inner["ReturnValues"] = action.return_values
    on_failure = options.get("ReturnValuesOnConditionCheckFailure")
    if on_failure is not None and action.kind != translate.PUT:
        inner["ReturnValuesOnConditionCheckFailure"] = on_failure
    _copy(request, inner, "ReturnConsumedCapacity")
    try:
        return call(ctx, WRITE_OPERATIONS[action.kind], inner)
    except errors.ConditionalCheckFailedException:
        if action.kind == translate.PUT:
            raise errors.duplicate_item() from None
        raise


def call(ctx: Context, operation: str, request: dict[str, Any]) -> dict[str, Any]:
    """Run a JSON API request as HTTP would: shapes, throughput hook, handler."""
    # Imported here: the routing table imports this module.
    from openddb.server import dispatch

    return dispatch.call(ctx, DYNAMODB_SERVICE, operation, request)


# --- SELECT --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Position:
    """Where a SELECT page starts or stops: which Query (0 for a Scan) and its
    ExclusiveStartKey (None: from the start)."""

    query: int
    key: dict[str, Any] | None


@dataclass(slots=True)
class _Page:
    items: list[Any]
    stopped: _Position | None
    capacity: dict[str, Any] | None


def _select(
    ctx: Context, request: dict[str, Any], select: ast.Select, binder: Binder
) -> dict[str, Any]:
    table = _table(ctx, select.table)
    plan = translate.select_plan(select, table, binder, bool(request.get("ConsistentRead")))
    digest = _request_digest(request)
    start = _start_position(ctx, request, plan, digest)
    page = _read_page(ctx, request, plan, start)
    items = _filtered(page.items, plan)
    response: dict[str, Any] = {"Items": items}
    if page.stopped is not None:
        response["NextToken"] = _next_token(ctx, digest, page.stopped)
        if page.stopped.key is not None:
            response["LastEvaluatedKey"] = page.stopped.key
    return _with_capacity(response, page.capacity)


def _read_page(
    ctx: Context, request: dict[str, Any], plan: translate.SelectPlan, start: _Position
) -> _Page:
    common: dict[str, Any] = {"TableName": plan.table_name}
    if plan.index_name is not None:
        common["IndexName"] = plan.index_name
    _copy(request, common, "ConsistentRead")
    _copy(request, common, "ReturnConsumedCapacity")
    limit = request.get("Limit")
    if plan.queries is None:
        scan = dict(common)
        if limit is not None:
            scan["Limit"] = limit
        if start.key is not None:
            scan["ExclusiveStartKey"] = start.key
        response = call(ctx, "Scan", scan)
        stopped = _stopped_at(0, response)
        return _Page(response.get("Items", []), stopped, response.get("ConsumedCapacity"))
    return _read_queries(ctx, common, plan.queries, limit, start)


def _read_queries(
    ctx: Context,
    common: dict[str, Any],
    queries: tuple[dict[str, Any], ...],
    limit: int | None,
    start: _Position,
) -> _Page:
    """The Queries from ``start`` on, one after the other, until ``Limit`` items or 1 MB
    were read or one of them stopped early."""
    page = _Page([], None, None)
    read_items = 0
    read_bytes = 0
    position = start
    while position.query < len(queries):
        query = {**common, **queries[position.query]}
        if limit is not None:
            query["Limit"] = limit - read_items
        if position.key is not None:
            query["ExclusiveStartKey"] = position.key
        response = call(ctx, "Query", query)
        items = response.get("Items", [])
        page.items.extend(items)
        page.capacity = _add_capacity(page.capacity, response.get("ConsumedCapacity"))
        read_items += response["ScannedCount"]
        read_bytes += len(orjson.dumps(items))
        stopped = _stopped_at(position.query, response)
        if stopped is not None:
            page.stopped = stopped
            return page
        position = _Position(position.query + 1, None)
        full = (limit is not None and read_items >= limit) or (
            read_bytes >= limits.PARTIQL_SELECT_PAGE_BYTES_MAX
        )
        if full and position.query < len(queries):
            page.stopped = position
            return page
    return page


def _stopped_at(query: int, response: dict[str, Any]) -> _Position | None:
    key = response.get("LastEvaluatedKey")
    return None if key is None else _Position(query, key)


def _filtered(items: list[Any], plan: translate.SelectPlan) -> list[Any]:
    """The WHERE clause and the projection applied to the items a page read (stored
    JSON passed on untouched when there is neither)."""
    if plan.where is None and plan.projection is None:
        return items
    kept = []
    for stored in items:
        item = _decoded(stored)
        if plan.where is not None and not evaluate(plan.where, item):
            continue
        kept.append(item if plan.projection is None else projected(item, plan.projection))
    return kept


def _decoded(item: Any) -> dict[str, Any]:
    """An item of a handler's response as a dict (handlers return stored JSON as is)."""
    if isinstance(item, orjson.Fragment):
        decoded: dict[str, Any] = orjson.loads(orjson.dumps(item))
        return decoded
    assert isinstance(item, dict)
    return item


def projected(item: dict[str, Any], projection: tuple[tuple[str | int, ...], ...]) -> Any:
    """A SELECT projection, flattened as DynamoDB returns it (inferred from DynamoDB
    Local's SelectProjectionUnnester): each path found is one top-level attribute named
    by its last map key, with the list indexes after that key: ``a.b`` -> ``b``,
    ``a[1]`` -> ``a[1]``, ``a.b[0][2]`` -> ``b[0][2]``."""
    result: dict[str, Any] = {}
    for elements in projection:
        value = lookup(item, elements)
        if value is None:
            continue
        name = ""
        for element in elements:
            name = f"{name}[{element}]" if type(element) is int else str(element)
        result[name] = value
    return result


# --- NextToken -----------------------------------------------------------------------------


def _request_digest(request: dict[str, Any]) -> str:
    """What a NextToken must be passed back with: the same statement and parameters
    (parameters are in canonical form by now)."""
    defining = [request["Statement"], request.get("Parameters")]
    return hashlib.sha256(orjson.dumps(defining)).hexdigest()[:32]


def _namespace_digest(ctx: Context) -> str:
    return hashlib.sha256(ctx.namespace.encode("utf-8")).hexdigest()[:16]


def _next_token(ctx: Context, digest: str, position: _Position) -> str:
    body = {
        "v": NEXT_TOKEN_VERSION,
        "a": _namespace_digest(ctx),
        "h": digest,
        "t": ctx.clock.now(),
        "q": position.query,
        "k": position.key,
    }
    token = base64.urlsafe_b64encode(orjson.dumps(body)).decode("ascii")
    assert len(token) <= limits.PARTIQL_NEXT_TOKEN_CHARS_MAX, len(token)
    return token


def _start_position(
    ctx: Context, request: dict[str, Any], plan: translate.SelectPlan, digest: str
) -> _Position:
    token = request.get("NextToken")
    if token is None:
        return _Position(0, None)
    body = _token_body(token)
    queries = 1 if plan.queries is None else len(plan.queries)
    position = body["q"]
    if not 0 <= position < queries:
        raise errors.partiql_next_token_invalid()
    if body["a"] != _namespace_digest(ctx):
        raise errors.partiql_next_token_other_account()
    if body["h"] != digest:
        raise errors.partiql_next_token_mismatch()
    if ctx.clock.now() - body["t"] >= limits.PARTIQL_NEXT_TOKEN_LIFETIME_SECONDS:
        raise errors.partiql_next_token_expired()
    return _Position(position, body["k"])


def _token_body(token: str) -> dict[str, Any]:
    try:
        raw = base64.b64decode(token.encode("ascii"), altchars=b"-_", validate=True)
        body = orjson.loads(raw)
    except (ValueError, binascii.Error, orjson.JSONDecodeError):
        raise errors.partiql_next_token_invalid() from None
    well_formed = (
        isinstance(body, dict)
        and body.get("v") == NEXT_TOKEN_VERSION
        and isinstance(body.get("a"), str)
        and isinstance(body.get("h"), str)
        and type(body.get("t")) in (int, float)
        and type(body.get("q")) is int
        and (body.get("k") is None or isinstance(body.get("k"), dict))
    )
    if not well_formed:
        raise errors.partiql_next_token_invalid()
    return dict(body)


# --- BatchExecuteStatement -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Member:
    """One statement of a batch or transaction, parsed, with its request member."""

    statement: ast.Statement
    binder: Binder
    member: dict[str, Any]


def batch_execute_statement(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """BatchExecuteStatement: up to 25 SELECTs by key, or up to 25 writes, each answered
    on its own (``Error`` with Code and Message); never atomic.

    Raises ValidationException only for the batch as a whole: reads mixed with writes,
    two writes of one item.
    """
    statements = request["Statements"]
    assert len(statements) <= limits.PARTIQL_BATCH_STATEMENTS_MAX, len(statements)
    members = [_batch_member(member) for member in statements]
    kinds = {_is_read(one.statement) for one in members if isinstance(one, _Member)}
    if len(kinds) > 1:
        raise errors.partiql_batch_mixed()
    if kinds == {True}:
        responses, capacities = _batch_reads(ctx, request, members)
    else:
        responses, capacities = _batch_writes(ctx, request, members)
    response: dict[str, Any] = {"Responses": responses}
    if capacities:
        response["ConsumedCapacity"] = list(capacities.values())
    return response


def _batch_member(member: dict[str, Any]) -> _Member | errors.DynamoDBError:
    try:
        parsed = parsed_statement(member["Statement"])
        statement = parsed.statement
        if isinstance(statement, ast.Exists):
            raise errors.partiql_exists_outside_transaction()
        if isinstance(statement, ast.Unsupported):
            raise errors.partiql_batch_invalid_operation()
        return _Member(statement, _binder(member.get("Parameters"), parsed), member)
    except errors.ValidationException as error:
        return error


def _is_read(statement: ast.Statement) -> bool:
    return isinstance(statement, ast.Select)


Capacities = dict[str, dict[str, Any]]


def _batch_reads(
    ctx: Context, request: dict[str, Any], members: list[_Member | errors.DynamoDBError]
) -> tuple[list[dict[str, Any]], Capacities]:
    responses: list[dict[str, Any]] = []
    capacities: Capacities = {}
    for one in members:
        if not isinstance(one, _Member):
            responses.append({"Error": _batch_error(one)})
            continue
        assert isinstance(one.statement, ast.Select)
        table_name = one.statement.table
        try:
            action = translate.read_by_key(
                one.statement,
                _table(ctx, table_name),
                one.binder,
                errors.partiql_batch_select_key,
                errors.partiql_batch_select_key,
            )
            response = _get(ctx, action, one.member, request)
        except errors.DynamoDBError as error:
            responses.append({"TableName": table_name, "Error": _batch_error(error)})
            continue
        answer: dict[str, Any] = {"TableName": table_name}
        if "Item" in response:
            answer["Item"] = _projected_or_stored(response["Item"], action.projection)
        responses.append(answer)
        _add_table_capacity(capacities, response.get("ConsumedCapacity"))
    return responses, capacities


def _get(
    ctx: Context,
    action: translate.ReadAction,
    member: dict[str, Any],
    request: dict[str, Any],
) -> dict[str, Any]:
    get = {"TableName": action.table_name, "Key": action.key}
    _copy(member, get, "ConsistentRead")
    _copy(request, get, "ReturnConsumedCapacity")
    return call(ctx, "GetItem", get)


def _projected_or_stored(item: Any, projection: tuple[tuple[str | int, ...], ...] | None) -> Any:
    return item if projection is None else projected(_decoded(item), projection)


def _batch_writes(
    ctx: Context, request: dict[str, Any], members: list[_Member | errors.DynamoDBError]
) -> tuple[list[dict[str, Any]], Capacities]:
    """Every write translated first (a problem is that statement's Error), the batch
    refused if two name one item, then each write run on its own."""
    planned: list[tuple[_Member | None, translate.WriteAction | errors.DynamoDBError]] = []
    for one in members:
        if not isinstance(one, _Member):
            planned.append((None, one))
            continue
        try:
            planned.append((one, _member_write_action(ctx, one)))
        except errors.DynamoDBError as error:
            planned.append((one, error))
    _refuse_repeated_items([a for _, a in planned if isinstance(a, translate.WriteAction)])
    responses: list[dict[str, Any]] = []
    capacities: Capacities = {}
    for member, action in planned:
        answer: dict[str, Any] = {}
        if member is not None:
            answer["TableName"] = _table_of(member.statement)
        if isinstance(action, errors.DynamoDBError):
            answer["Error"] = _batch_error(action)
            responses.append(answer)
            continue
        assert member is not None
        try:
            response = _write(ctx, action, member.member, request)
        except errors.DynamoDBError as error:
            answer["Error"] = _batch_error(error)
            responses.append(answer)
            continue
        if "Attributes" in response:
            answer["Item"] = response["Attributes"]
        responses.append(answer)
        _add_table_capacity(capacities, response.get("ConsumedCapacity"))
    return responses, capacities


def _table_of(statement: ast.Statement) -> str:
    assert isinstance(statement, (ast.Select, ast.Insert, ast.Update, ast.Delete))
    return statement.table


def _member_write_action(ctx: Context, one: _Member) -> translate.WriteAction:
    statement = one.statement
    assert isinstance(statement, (ast.Insert, ast.Update, ast.Delete))
    return _write_action(ctx, statement, one.binder)


def _refuse_repeated_items(actions: list[Any]) -> None:
    """Two statements of one batch or transaction may not name the same item (inferred
    from BatchWriteItem and TransactWriteItems)."""
    seen: set[bytes] = set()
    for action in actions:
        table_name = action.member["TableName"]
        identity = orjson.dumps([table_name, action.key], option=orjson.OPT_SORT_KEYS)
        if identity in seen:
            raise errors.duplicate_keys()
        seen.add(identity)


def _batch_error(error: errors.DynamoDBError) -> dict[str, Any]:
    code = BATCH_ERROR_CODES.get(error.code)
    if code is None:
        raise error
    entry: dict[str, Any] = {"Code": code, "Message": error.message}
    if "Item" in error.extra:
        entry["Item"] = error.extra["Item"]
    return entry


# --- ExecuteTransaction --------------------------------------------------------------------


def execute_transaction(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """ExecuteTransaction: up to 100 SELECTs by key (TransactGetItems) or up to 100
    INSERT / UPDATE / DELETE / EXISTS statements applied all or none (TransactWriteItems,
    ``ClientRequestToken`` idempotency included).

    Raises ValidationException ("Validation failed in TransactStatements[i]: ..." for a
    statement refused while it is read), ResourceNotFoundException,
    TransactionCanceledException (an INSERT of an existing key: reason DuplicateItem),
    IdempotentParameterMismatchException.
    """
    statements = request["TransactStatements"]
    assert len(statements) <= limits.PARTIQL_TRANSACTION_STATEMENTS_MAX, len(statements)
    members = [_transaction_member(index, member) for index, member in enumerate(statements)]
    if _is_read(members[0].statement):
        return _transact_reads(ctx, request, members)
    return _transact_writes(ctx, request, members)


def _transaction_member(index: int, member: dict[str, Any]) -> _Member:
    parsed = _in_transaction(index, lambda: parsed_statement(member["Statement"]))
    if isinstance(parsed.statement, ast.Unsupported):
        raise errors.partiql_transaction_unsupported()
    parameters = member.get("Parameters") or []
    for parameter in parameters:
        check_parameter(parameter)
        validate_value(parameter)
    binder = _in_transaction(index, lambda: _binder(parameters, parsed))
    return _Member(parsed.statement, binder, member)


def _in_transaction(index: int, work: Callable[[], T]) -> T:
    """A statement refused while it is read names its place (live)."""
    try:
        return work()
    except errors.ValidationException as error:
        raise errors.partiql_transaction_statement(index, error) from None


def _check_not_mixed(members: list[_Member]) -> None:
    if len({_is_read(one.statement) for one in members}) > 1:
        raise errors.partiql_transaction_mixed()


def _transact_reads(
    ctx: Context, request: dict[str, Any], members: list[_Member]
) -> dict[str, Any]:
    _check_not_mixed(members)
    actions = [_transaction_read(ctx, index, one) for index, one in enumerate(members)]
    gets = [{"Get": {"TableName": action.table_name, "Key": action.key}} for action in actions]
    inner: dict[str, Any] = {"TransactItems": gets}
    _copy(request, inner, "ReturnConsumedCapacity")
    response = call(ctx, "TransactGetItems", inner)
    responses = [
        {"Item": _projected_or_stored(got["Item"], action.projection)} if "Item" in got else {}
        for got, action in zip(response["Responses"], actions, strict=True)
    ]
    return _with_capacity({"Responses": responses}, response.get("ConsumedCapacity"))


def _transaction_read(ctx: Context, index: int, one: _Member) -> translate.ReadAction:
    select = one.statement
    assert isinstance(select, ast.Select)
    table = _table(ctx, select.table)
    return _in_transaction(
        index,
        lambda: translate.read_by_key(
            select,
            table,
            one.binder,
            errors.partiql_transaction_select_key,
            errors.partiql_transaction_index_read,
        ),
    )


def _transact_writes(
    ctx: Context, request: dict[str, Any], members: list[_Member]
) -> dict[str, Any]:
    _check_not_mixed(members)
    actions = [_transaction_write(ctx, index, one) for index, one in enumerate(members)]
    transact_items = []
    for one, action in zip(members, actions, strict=True):
        member = dict(action.member)
        _copy(one.member, member, "ReturnValuesOnConditionCheckFailure")
        transact_items.append({action.kind: member})
    inner: dict[str, Any] = {"TransactItems": transact_items}
    _copy(request, inner, "ClientRequestToken")
    _copy(request, inner, "ReturnConsumedCapacity")
    try:
        response = call(ctx, "TransactWriteItems", inner)
    except errors.TransactionCanceledException as error:
        raise _with_duplicate_items(error, actions) from None
    return _with_capacity({"Responses": []}, response.get("ConsumedCapacity"))


def _transaction_write(ctx: Context, index: int, one: _Member) -> translate.WriteAction:
    statement = one.statement
    if isinstance(statement, (ast.Update, ast.Delete)) and statement.returning is not None:
        raise errors.partiql_transaction_statement(index, errors.partiql_returning_in_transaction())
    if isinstance(statement, ast.Exists):
        table = _table(ctx, statement.select.table)
        return _in_transaction(index, lambda: translate.exists(statement, table, one.binder))
    assert isinstance(statement, (ast.Insert, ast.Update, ast.Delete))
    table = _table(ctx, statement.table)
    if isinstance(statement, ast.Insert):
        return _in_transaction(index, lambda: translate.insert(statement, table, one.binder))
    if isinstance(statement, ast.Update):
        return _in_transaction(index, lambda: translate.update(statement, table, one.binder))
    return _in_transaction(index, lambda: translate.delete(statement, table, one.binder))


def _with_duplicate_items(
    error: errors.TransactionCanceledException, actions: list[translate.WriteAction]
) -> errors.TransactionCanceledException:
    """An INSERT whose key exists cancels with reason DuplicateItem (the model's
    BatchStatementErrorCodeEnum; inferred: no live capture of the reason)."""
    reasons = list(error.extra["CancellationReasons"])
    for position, action in enumerate(actions):
        failed = reasons[position]["Code"] == errors.REASON_CONDITIONAL_CHECK_FAILED
        if action.kind == translate.PUT and failed:
            reasons[position] = errors.reason_of(
                errors.REASON_DUPLICATE_ITEM, errors.duplicate_item()
            )
    return errors.transaction_canceled(reasons)


# --- shared steps --------------------------------------------------------------------------


def _copy(source: dict[str, Any], target: dict[str, Any], member: str) -> None:
    value = source.get(member)
    if value is not None:
        target[member] = value


def _with_capacity(response: dict[str, Any], capacity: Any) -> dict[str, Any]:
    if capacity is not None:
        response["ConsumedCapacity"] = capacity
    return response


def _add_capacity(total: dict[str, Any] | None, more: dict[str, Any] | None) -> Any:
    """Two ConsumedCapacity entries of one table added up (the reads of several Queries)."""
    if more is None:
        return total
    if total is None:
        return orjson.loads(orjson.dumps(more))
    for member in CAPACITY_NUMBERS:
        if member in more:
            total[member] = total.get(member, 0.0) + more[member]
    if "Table" in more:
        total["Table"] = _add_capacity(total.get("Table"), more["Table"])
    for member in CAPACITY_MAPS:
        for name, used in more.get(member, {}).items():
            indexes = total.setdefault(member, {})
            indexes[name] = _add_capacity(indexes.get(name), used)
    return total


def _add_table_capacity(capacities: Capacities, consumed: dict[str, Any] | None) -> None:
    if consumed is not None:
        table_name = consumed["TableName"]
        capacities[table_name] = _add_capacity(capacities.get(table_name), consumed)
