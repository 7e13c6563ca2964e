"""Request shapes: the checks DynamoDB's request framework makes before an operation runs.

Every DynamoDB and DynamoDB Streams operation is checked against its input shape in
botocore's bundled service models (``botocore/data/dynamodb*/2012-08-10/service-2``,
botocore is pinned), in the order the service uses:

1. **Types** -> ``SerializationException``. DynamoDB deserialises the body member by
   member in document order and stops at the first JSON value of the wrong type.
   Members the model does not know, and JSON nulls, are skipped (absent).
2. **Presence pre-checks** -> two bespoke ValidationException texts (a control-plane
   operation without TableName, a batch with ``RequestItems: {}``).
3. **Constraints** -> ``N validation error(s) detected: ...`` listing at most ten
   violations (required members, length, value range, pattern, enum), depth-first in
   DynamoDB's member order, with Java-style paths and values::

       Value '0' at 'limit' failed to satisfy constraint: Member must have value ...
       Value null at 'keySchema.1.member.attributeName' failed to satisfy constraint: ...
       Value '{t=[...]}' at 'requestItems' failed to satisfy constraint: Map value must ...

   Paths: member names with the first letter lowered; a list element is
   ``<list>.<1-based index>.member``, a map value ``<map>.<key>.member``.

Everything is compiled once at import into closures, one per (shape, position): a
request is checked by calling them, never by interpreting the model. Two of them
coerce in place what the service's parser accepts: a JSON float for an integer member
is truncated, the strings ``"true"``/``"false"`` (any case) for a boolean member become
booleans; handlers therefore always see the modelled Python type.

Sources. Texts and orders are DynamoDB's as recorded by dynalite (``validations/*.js``
key order and ``test/*.js``, a suite run against the service with REMOTE=1), by a
2026 live conformance suite quoted in code search (CreateTable/PutItem/UpdateItem/
BatchWriteItem "exact error messages"), and by live captures in
``shared/reference/behaviours.md``. Facts only inferred are marked "inferred" below.
AWS is rolling out a new validator in some regions (``Value at 'Limit' ...``: no value,
capitalised path, first error only); openddb speaks the established form.
"""

from __future__ import annotations

import gzip
import importlib.resources
import math
import re
import sys
import zlib
from collections.abc import Callable
from typing import Any

import orjson

from openddb import errors, limits
from openddb.protocol.json_1_0 import DYNAMODB_SERVICE, STREAMS_SERVICE

# A type check returns None, or the value to store in place of the one it checked.
TypeCheck = Callable[[Any], Any]
# A constraint walk appends violation texts for a value found at ``path``.
Walk = Callable[[Any, str, list[str]], None]
# Own constraints of one value: the failing constraint phrases, or None.
Own = Callable[[Any], "list[str] | None"]
# Bracketed constraints of a map key/value or list element: all phrases, or None if it passes.
Bracket = Callable[[Any], "tuple[str, ...] | None"]

API_VERSION = "2012-08-10"
JAVA_PACKAGE = "com.amazonaws.dynamodb.v20120810"
REPORTED_MAX = limits.SHAPE_ERRORS_REPORTED_MAX

# --- DynamoDB's orders, where they differ from the model ------------------------------
#
# The service lists violations in the member order of its own (Coral) model, not
# botocore's. These orders are dynalite's ``exports.types`` key orders, which it matched to
# the service; members left out follow in botocore order. Exact-message checks confirm
# GetItem (dynalite test "incorrect attributes"), UpdateItem (2026 live: returnConsumedCapacity,
# tableName, returnValues, key), BatchWriteItem and ProvisionedThroughput (2026 live capture:
# writeCapacityUnits before readCapacityUnits); the rest are inferred from dynalite.
# fmt: off
MEMBER_ORDER: dict[str, tuple[str, ...]] = {
    "GetItemInput": (
        "ReturnConsumedCapacity", "AttributesToGet", "TableName", "Key", "ConsistentRead",
        "ProjectionExpression", "ExpressionAttributeNames",
    ),
    "PutItemInput": (
        "ReturnConsumedCapacity", "TableName", "Item", "ConditionalOperator", "Expected",
        "ReturnValues", "ReturnItemCollectionMetrics", "ConditionExpression",
        "ExpressionAttributeValues", "ExpressionAttributeNames",
    ),
    "DeleteItemInput": (
        "ReturnConsumedCapacity", "TableName", "ReturnValues", "ReturnItemCollectionMetrics",
        "Key", "ConditionalOperator", "Expected", "ConditionExpression",
        "ExpressionAttributeValues", "ExpressionAttributeNames",
    ),
    "UpdateItemInput": (
        "ReturnConsumedCapacity", "TableName", "ReturnItemCollectionMetrics", "ReturnValues",
        "Key", "ConditionalOperator", "Expected", "AttributeUpdates", "ConditionExpression",
        "UpdateExpression", "ExpressionAttributeValues", "ExpressionAttributeNames",
    ),
    "QueryInput": (
        "Limit", "ExclusiveStartKey", "ReturnConsumedCapacity", "AttributesToGet",
        "QueryFilter", "Select", "ConditionalOperator", "KeyConditions", "TableName",
        "ConsistentRead", "IndexName", "ScanIndexForward", "KeyConditionExpression",
        "FilterExpression", "ProjectionExpression", "ExpressionAttributeValues",
        "ExpressionAttributeNames",
    ),
    "ScanInput": (
        "Limit", "ReturnConsumedCapacity", "AttributesToGet", "Segment", "Select",
        "ScanFilter", "ConditionalOperator", "TotalSegments", "TableName",
        "ExclusiveStartKey", "IndexName", "FilterExpression", "ProjectionExpression",
        "ExpressionAttributeValues", "ExpressionAttributeNames",
    ),
    "BatchGetItemInput": ("ReturnConsumedCapacity", "RequestItems"),
    "KeysAndAttributes": (
        "Keys", "AttributesToGet", "ConsistentRead", "ProjectionExpression",
        "ExpressionAttributeNames",
    ),
    "BatchWriteItemInput": (
        "ReturnConsumedCapacity", "ReturnItemCollectionMetrics", "RequestItems",
    ),
    "WriteRequest": ("DeleteRequest", "PutRequest"),
    "CreateTableInput": (
        "AttributeDefinitions", "TableName", "ProvisionedThroughput", "KeySchema",
        "LocalSecondaryIndexes", "GlobalSecondaryIndexes", "StreamSpecification",
    ),
    "ProvisionedThroughput": ("WriteCapacityUnits", "ReadCapacityUnits"),
    "LocalSecondaryIndex": ("KeySchema", "Projection", "IndexName"),
    "GlobalSecondaryIndex": ("KeySchema", "Projection", "IndexName", "ProvisionedThroughput"),
    "UpdateTableInput": ("TableName", "ProvisionedThroughput", "GlobalSecondaryIndexUpdates"),
    "GlobalSecondaryIndexUpdate": ("Update", "Create", "Delete"),
    "UpdateGlobalSecondaryIndexAction": ("IndexName", "ProvisionedThroughput"),
    "CreateGlobalSecondaryIndexAction": (
        "Projection", "IndexName", "ProvisionedThroughput", "KeySchema",
    ),
    "ExpectedAttributeValue": ("AttributeValueList", "ComparisonOperator", "Exists", "Value"),
    "AttributeValueUpdate": ("Action", "Value"),
}

# Enum values print in the service's order. Live-confirmed (2026 captures): ReturnValue,
# ConditionalOperator, ScalarAttributeType, KeyType, ReturnConsumedCapacity; from dynalite:
# ComparisonOperator, Select, ProjectionType, StreamViewType. Other enums: model order (inferred).
ENUM_ORDER: dict[str, tuple[str, ...]] = {
    "ReturnValue": ("ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW"),
    "ConditionalOperator": ("OR", "AND"),
    "ScalarAttributeType": ("B", "N", "S"),
    "ComparisonOperator": (
        "IN", "NULL", "BETWEEN", "LT", "NOT_CONTAINS", "EQ", "GT", "NOT_NULL", "NE", "LE",
        "BEGINS_WITH", "GE", "CONTAINS",
    ),
    "Select": ("SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES"),
    "ProjectionType": ("ALL", "INCLUDE", "KEYS_ONLY"),
    "StreamViewType": ("KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"),
}
# fmt: on

# Constraints the service enforces beyond the model: a table's KeySchema holds at most two
# elements (2026 live: "Value '[...]' at 'keySchema' ... less than or equal to 2"); the model's
# KeySchema shape dropped its max when GSIs gained multi-attribute keys.
LENGTH_MAX_OVERRIDE: dict[tuple[str, str], int] = {("CreateTableInput", "KeySchema"): 2}
# The model stopped requiring these when CreateTable learned GlobalTableSourceArn (a replica
# copies its schema); openddb has no such replicas, and the service reported both as null
# before that (dynalite "null attributes": attributeDefinitions, tableName, keySchema).
REQUIRED_ADDED: dict[str, frozenset[str]] = {
    "CreateTableInput": frozenset({"AttributeDefinitions", "KeySchema"}),
}
# Members whose presence and constraints the handler checks with the service's own texts
# ("The Tag Key provided is invalid, Key: <k>", live per the ACK lab captures in api/tags.py)
# instead of the generic constraint list.
HANDLER_CHECKED: frozenset[tuple[str, str]] = frozenset({("Tag", "Key"), ("Tag", "Value")})

# ``TableName`` members are modelled as TableArn (length 1..1024, no pattern) since tables
# accept ARNs, but a plain name is still held to TableName's 3..255 and pattern (2026 live:
# '' -> length >= 1 only; 'ab' -> >= 3; 256 chars -> <= 255; 'bad table!@#' -> pattern).
TABLE_NAME_MAPS = frozenset({"BatchGetRequestMap", "BatchWriteItemRequestMap"})
ARN_PREFIX = "arn:"

# Control-plane operations answer a missing TableName with a bespoke text before any shape
# violation (2026 live for CreateTable; dynalite ``required: true`` for the others).
PARAMETER_REQUIRED = frozenset(
    {
        "CreateTable",
        "DeleteTable",
        "DescribeTable",
        "UpdateTable",
        "DescribeTimeToLive",
        "UpdateTimeToLive",
    }
)
# ``RequestItems: {}`` (2026 live for BatchWriteItem; BatchGetItem inferred).
REQUEST_ITEMS_REQUIRED = frozenset({"BatchWriteItem", "BatchGetItem"})

JAVA_CLASS = {
    "string": "java.lang.String",
    "integer": "java.lang.Integer",
    "long": "java.lang.Long",
    "double": "java.lang.Double",
    "float": "java.lang.Float",
    "boolean": "java.lang.Boolean",
    "blob": "java.nio.ByteBuffer",
    "timestamp": "java.util.Date",  # inferred
}
JAVA_SIMPLE = {kind: name.rsplit(".", 1)[1] for kind, name in JAVA_CLASS.items()}
JAVA_SIMPLE["timestamp"] = "Date"

# Java patterns the ``re`` module spells differently (Java matches code points).
JAVA_REGEX_REWRITES = (
    ("\\p{Print}", "[\\x20-\\x7E]"),
    ("\\uD800\\uDC00-\\uDBFF\\uDFFF", "\\U00010000-\\U0010FFFF"),
)

BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
BASE64_INDEX = {character: index for index, character in enumerate(BASE64_ALPHABET)}
BASE64_DATA = re.compile(r"[A-Za-z0-9+/]*")


def lower_first(name: str) -> str:
    """Member name as DynamoDB prints it in a path: ``TableName`` -> ``tableName``."""
    return name[0].lower() + name[1:]


def utf16_length(text: str) -> int:
    """Java's String.length(): UTF-16 code units, which length constraints count."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for character in text if ord(character) > 0xFFFF)


def python_pattern(java_pattern: str) -> re.Pattern[str]:
    text = java_pattern
    for java, python in JAVA_REGEX_REWRITES:
        text = text.replace(java, python)
    return re.compile(text)


# --- phase 1: JSON types --------------------------------------------------------------


def wrong_token(value: Any, kind: str) -> errors.SerializationException:
    """The SerializationException for a JSON value that is not of scalar type ``kind``."""
    if type(value) is dict:
        return errors.start_of_structure()
    if type(value) is list:
        return errors.unrecognized_collection(f"class {JAVA_CLASS[kind]}")
    if type(value) is bool:
        token = "TRUE_VALUE" if value else "FALSE_VALUE"
    elif type(value) is int:
        token = "NUMBER_VALUE"
    elif type(value) is float:
        token = "DECIMAL_VALUE"
    else:
        assert type(value) is str, type(value)
        token = "STRING_VALUE"
    return errors.cannot_convert(token, JAVA_SIMPLE[kind])


def check_string(value: Any) -> None:
    if type(value) is not str:
        raise wrong_token(value, "string")


def check_boolean(value: Any) -> bool | None:
    if type(value) is bool:
        return None
    if type(value) is str:
        # Inferred: the parser accepts the words in any case (dynalite notes, floci).
        word = value.lower()
        if word == "true":
            return True
        if word == "false":
            return False
        raise errors.unexpected_token()
    raise wrong_token(value, "boolean")


def integer_check(kind: str) -> TypeCheck:
    def check_integer(value: Any) -> int | None:
        if type(value) is int:
            return None
        if type(value) is float:
            # Inferred: the service truncates a decimal given for an integer member.
            if math.isfinite(value):
                return int(value)
            raise errors.cannot_convert("DECIMAL_VALUE", JAVA_SIMPLE[kind])
        raise wrong_token(value, kind)

    return check_integer


def number_check(kind: str) -> TypeCheck:
    def check_number(value: Any) -> None:
        if type(value) is not int and type(value) is not float:
            raise wrong_token(value, kind)

    return check_number


def check_blob(value: Any) -> None:
    if type(value) is str:
        check_base64(value)
        return
    if type(value) is dict:
        raise errors.start_of_structure()
    if type(value) is list:
        raise errors.unrecognized_collection(f"class {JAVA_CLASS['blob']}")
    raise errors.blob_not_string()


def check_base64(text: str) -> None:
    """Strict base64 as DynamoDB's parser reads it: whole quanta, canonical last character
    (dynalite: "=+/=" and "+/+=" fail on the last character; other characters inferred)."""
    if len(text) % 4:
        raise errors.invalid_base64(text)  # "... a multiple of 4 bytes but found: <n>"
    data = text.rstrip("=")
    padding = len(text) - len(data)
    if padding:
        last = BASE64_INDEX.get(data[-1]) if data and padding <= 2 else None
        if last is None:
            raise errors.base64_character(data[-1] if data and padding <= 2 else "=")
        if last & (0x0F if padding == 2 else 0x03):
            raise errors.base64_last_character()
    if BASE64_DATA.fullmatch(data) is None:
        raise errors.base64_character(next(c for c in data if c not in BASE64_INDEX))


SCALAR_CHECKS: dict[str, TypeCheck] = {
    "string": check_string,
    "boolean": check_boolean,
    "integer": integer_check("integer"),
    "long": integer_check("long"),
    "double": number_check("double"),
    "float": number_check("float"),
    "timestamp": number_check("timestamp"),
    "blob": check_blob,
}


# --- phase 3: constraints -------------------------------------------------------------


def constrained_shapes(shapes: dict[str, dict[str, Any]]) -> dict[str, bool]:
    """Per shape: can a value of it, or anything inside it, violate a constraint? A fixpoint,
    since AttributeValue contains itself."""
    children: dict[str, list[str]] = {}
    result: dict[str, bool] = {}
    for name, shape in shapes.items():
        kind = shape["type"]
        own = any(bound in shape for bound in ("min", "max", "pattern", "enum"))
        if kind == "structure":
            own = own or bool(shape.get("required"))
            children[name] = [ref["shape"] for ref in shape["members"].values()]
        elif kind == "list":
            children[name] = [shape["member"]["shape"]]
        elif kind == "map":
            own = own or name in TABLE_NAME_MAPS
            children[name] = [shape["key"]["shape"], shape["value"]["shape"]]
        result[name] = own
    changed = True
    while changed:
        changed = False
        for name, below in children.items():
            if not result[name] and any(result[child] for child in below):
                result[name] = changed = True
    return result


def render_scalar(kind: str, value: Any) -> str:
    """A scalar as Java prints it in ``Value '...'``."""
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "blob":
        size = len(value) // 4 * 3 - (len(value) - len(value.rstrip("=")))
        return f"java.nio.HeapByteBuffer[pos=0 lim={size} cap={size}]"
    return str(value)  # strings as-is; numbers already coerced to their Java type


class Compiler:
    """Turns one service model into per-operation validators (used once, at import)."""

    def __init__(self, model: dict[str, Any]) -> None:
        self.shapes: dict[str, dict[str, Any]] = model["shapes"]
        self.type_checks: dict[tuple[str, bool], TypeCheck] = {}
        self.walks: dict[str, Walk | None] = {}
        self.constrained = constrained_shapes(self.shapes)
        self.not_null = errors.constraint_not_null()

    # -- phase 1 --

    def type_check(self, name: str, field: bool) -> TypeCheck:
        """Checker for a value of shape ``name``; ``field`` when it is a structure member
        (the service's texts differ for list elements and map values)."""
        key = (name, field)
        found = self.type_checks.get(key)
        if found is not None:
            return found
        shape = self.shapes[name]
        kind = shape["type"]
        if kind == "structure":
            return self.structure_type(key, name, shape, field)
        if kind == "list":
            return self.list_type(key, shape, field)
        if kind == "map":
            return self.map_type(key, shape, field)
        check = SCALAR_CHECKS[kind]
        self.type_checks[key] = check
        return check

    def structure_type(
        self, key: tuple[str, bool], name: str, shape: dict[str, Any], field: bool
    ) -> TypeCheck:
        members: dict[str, TypeCheck] = {}
        java = f"class {JAVA_PACKAGE}.{name}"

        def check_structure(value: Any) -> None:
            if type(value) is not dict:
                if type(value) is list:
                    raise errors.unrecognized_collection(java)
                raise errors.unexpected_field_type() if field else errors.unexpected_value_type()
            for member, item in value.items():
                member_check = members.get(member)
                if member_check is not None and item is not None:
                    replacement = member_check(item)
                    if replacement is not None:
                        value[member] = replacement

        self.type_checks[key] = check_structure  # before members: shapes may recurse
        for member, ref in shape["members"].items():
            members[member] = self.type_check(ref["shape"], field=True)
        return check_structure

    def list_type(self, key: tuple[str, bool], shape: dict[str, Any], field: bool) -> TypeCheck:
        cell: list[TypeCheck] = []

        def check_list(value: Any) -> None:
            if type(value) is not list:
                if type(value) is dict:
                    raise errors.start_of_structure()
                # A list inside a list or map is a generic Java type: the parser fails oddly.
                raise errors.unexpected_field_type() if field else errors.parameterized_collection()
            element = cell[0]
            for index, item in enumerate(value):
                if item is not None:
                    replacement = element(item)
                    if replacement is not None:
                        value[index] = replacement

        self.type_checks[key] = check_list
        cell.append(self.type_check(shape["member"]["shape"], field=False))
        return check_list

    def map_type(self, key: tuple[str, bool], shape: dict[str, Any], field: bool) -> TypeCheck:
        cell: list[TypeCheck] = []
        java = f"java.util.Map<java.lang.String, {self.java_type(shape['value']['shape'])}>"

        def check_map(value: Any) -> None:
            if type(value) is not dict:
                if type(value) is list:
                    raise errors.unrecognized_collection(java)
                raise errors.unexpected_field_type() if field else errors.parameterized_collection()
            element = cell[0]
            for map_key, item in value.items():
                if item is not None:
                    replacement = element(item)
                    if replacement is not None:
                        value[map_key] = replacement

        self.type_checks[key] = check_map
        cell.append(self.type_check(shape["value"]["shape"], field=False))
        return check_map

    def java_type(self, name: str) -> str:
        shape = self.shapes[name]
        kind = shape["type"]
        if kind == "structure":
            return f"{JAVA_PACKAGE}.{name}"
        if kind == "list":
            return f"java.util.List<{self.java_type(shape['member']['shape'])}>"
        if kind == "map":
            return f"java.util.Map<java.lang.String, {self.java_type(shape['value']['shape'])}>"
        return JAVA_CLASS[kind]

    # -- phase 3: rendering --

    def render(self, name: str, value: Any) -> str:
        """``value`` printed as the service's Java objects print (only on the error path)."""
        shape = self.shapes[name]
        kind = shape["type"]
        if kind == "structure":
            # The service prints Object.toString(); the identity hash is arbitrary there.
            identity = zlib.crc32(repr(value).encode())
            return f"{JAVA_PACKAGE}.{name}@{identity:x}"
        if kind == "list":
            element = shape["member"]["shape"]
            return "[" + ", ".join(self.render_item(element, item) for item in value) + "]"
        if kind == "map":
            element = shape["value"]["shape"]
            shown = (f"{key}={self.render_item(element, item)}" for key, item in value.items())
            return "{" + ", ".join(shown) + "}"
        return render_scalar(kind, value)

    def render_item(self, name: str, value: Any) -> str:
        return "null" if value is None else self.render(name, value)

    # -- phase 3: constraints --

    def has_constraints(self, name: str) -> bool:
        """Whether a value of this shape can violate anything (prunes the walk)."""
        return self.constrained[name]

    def own(self, name: str, max_override: int | None = None) -> Own | None:
        """Failing-phrase check for the constraints of shape ``name`` itself."""
        shape = self.shapes[name]
        kind = shape["type"]
        minimum = shape.get("min")
        maximum = max_override if max_override is not None else shape.get("max")
        if kind == "string":
            return self.own_string(name, shape, minimum, maximum)
        if kind in ("list", "map"):
            return own_size(minimum, maximum)
        if kind in ("integer", "long", "double", "float"):
            return own_value(minimum, maximum)
        assert minimum is None and maximum is None, name
        return None

    def own_string(
        self, name: str, shape: dict[str, Any], minimum: int | None, maximum: int | None
    ) -> Own | None:
        pattern = shape.get("pattern")
        regex = python_pattern(pattern) if pattern is not None else None
        pattern_phrase = errors.constraint_pattern(pattern) if pattern is not None else ""
        enum = self.enum_order(name, shape)
        if regex is None and minimum is None and maximum is None and enum is None:
            return None
        enum_set = frozenset(enum) if enum is not None else None
        low = minimum if minimum is not None else 0
        high = maximum if maximum is not None else sys.maxsize

        def failures(value: str, length: int) -> list[str] | None:
            failing: list[str] = []
            if regex is not None and regex.fullmatch(value) is None:
                failing.append(pattern_phrase)
            if minimum is not None and length < minimum:
                failing.append(errors.constraint_length_min(minimum))
            if maximum is not None and length > maximum:
                failing.append(errors.constraint_length_max(maximum))
            if enum is not None and value not in enum:
                failing.append(errors.constraint_enum(enum))
            return failing or None

        def own_string(value: str) -> list[str] | None:
            length = utf16_length(value)
            if (
                low <= length <= high
                and (regex is None or regex.fullmatch(value) is not None)
                and (enum_set is None or value in enum_set)
            ):
                return None
            return failures(value, length)

        return own_string

    def enum_order(self, name: str, shape: dict[str, Any]) -> tuple[str, ...] | None:
        values = shape.get("enum")
        if values is None:
            return None
        preferred = ENUM_ORDER.get(name)
        if preferred is None:
            return tuple(values)
        assert frozenset(preferred) == frozenset(values), f"model changed enum {name}"
        return preferred

    def bracket(self, name: str) -> Bracket | None:
        """For a map key/value or list element: all of its constraints when one fails, in
        the service's bracket order (max, min, pattern; dynalite BatchWriteItem tests)."""
        own = self.own(name)
        if own is None:
            return None
        shape = self.shapes[name]
        phrases: list[str] = []
        if shape["type"] in ("integer", "long", "double", "float"):
            if "max" in shape:
                phrases.append(errors.constraint_value_max(shape["max"]))
            if "min" in shape:
                phrases.append(errors.constraint_value_min(shape["min"]))
        else:
            if "max" in shape:
                phrases.append(errors.constraint_length_max(shape["max"]))
            if "min" in shape:
                phrases.append(errors.constraint_length_min(shape["min"]))
            if "pattern" in shape:
                phrases.append(errors.constraint_pattern(shape["pattern"]))
            enum = self.enum_order(name, shape)
            if enum is not None:
                phrases.append(errors.constraint_enum(enum))
        all_phrases = tuple(phrases)

        def bracket(value: Any) -> tuple[str, ...] | None:
            return all_phrases if own(value) is not None else None

        return bracket

    def walk(self, name: str) -> Walk | None:
        """Walk below a value of shape ``name`` (members, elements, entries), or None."""
        if name in self.walks:
            return self.walks[name]
        shape = self.shapes[name]
        kind = shape["type"]
        if kind not in ("structure", "list", "map") or not self.has_constraints(name):
            self.walks[name] = None  # scalars' own constraints are checked by the parent
            return None
        # Recursive shapes (AttributeValue: M and L) reach themselves through this cell.
        cell: list[Walk] = []

        def recurse(value: Any, path: str, out: list[str]) -> None:
            cell[0](value, path, out)

        self.walks[name] = recurse
        walk: Walk | None
        if kind == "structure":
            walk = self.structure_walk(name, shape)
        elif kind == "list":
            walk = self.list_walk(name, shape)
        else:
            walk = self.map_walk(name, shape)
        cell.append(walk if walk is not None else walk_nothing)
        self.walks[name] = walk
        return walk

    def member_order(self, name: str, shape: dict[str, Any]) -> tuple[str, ...]:
        preferred = MEMBER_ORDER.get(name, ())
        assert all(member in shape["members"] for member in preferred), name
        return preferred + tuple(m for m in shape["members"] if m not in preferred)

    def structure_walk(self, name: str, shape: dict[str, Any]) -> Walk | None:
        required = frozenset(shape.get("required", ())) | REQUIRED_ADDED.get(name, frozenset())
        plan = []
        for member in self.member_order(name, shape):
            if (name, member) in HANDLER_CHECKED:
                continue
            visit = self.member_visit(name, member, shape["members"][member]["shape"])
            if visit is not None or member in required:
                plan.append((member, lower_first(member), member in required, visit))
        if not plan:
            return None
        steps = tuple(plan)
        not_null = self.not_null
        # Most AttributeValues hold one member: look it up rather than try every step.
        single = {member: (part, visit) for member, part, _, visit in steps if visit is not None}
        optional = not required.intersection(member for member, *_ in steps)

        def walk_structure(value: dict[str, Any], path: str, out: list[str]) -> None:
            prefix = path + "." if path else ""
            if optional and len(value) == 1:
                for member, item in value.items():
                    step = single.get(member)
                    if step is not None and item is not None:
                        step[1](item, prefix + step[0], out)
                return
            for member, part, is_required, visit in steps:
                item = value.get(member)
                if item is None:
                    if is_required:
                        out.append(errors.shape_violation(None, prefix + part, not_null))
                        if len(out) >= REPORTED_MAX:
                            return
                elif visit is not None:
                    visit(item, prefix + part, out)
                    if len(out) >= REPORTED_MAX:
                        return

        return walk_structure

    def member_visit(self, structure: str, member: str, name: str) -> Walk | None:
        """Own constraints of a structure member, then the walk below it."""
        if member == "TableName" and name == "TableArn":
            own: Own | None = self.own_table_name()
        else:
            own = self.own(name, LENGTH_MAX_OVERRIDE.get((structure, member)))
        below = self.walk(name)
        if own is None:
            return below
        render = self.render

        def visit(value: Any, path: str, out: list[str]) -> None:
            failing = own(value)
            if failing is not None:
                shown = render(name, value)
                out.extend(errors.shape_violation(shown, path, phrase) for phrase in failing)
            if below is not None:
                below(value, path, out)

        return visit

    def own_table_name(self) -> Own:
        """TableName given as a plain name or an ARN (see TABLE_NAME_MAPS)."""
        arn = self.shapes["TableArn"]
        name = self.shapes["TableName"]
        arn_min, arn_max = arn["min"], arn["max"]
        too_short = errors.constraint_length_min(arn_min)
        regex, pattern = python_pattern(name["pattern"]), errors.constraint_pattern(name["pattern"])
        name_min, name_max = name["min"], name["max"]
        assert name_min == limits.TABLE_NAME_LENGTH_MIN
        assert name_max == limits.TABLE_NAME_LENGTH_MAX

        def own_table_name(value: str) -> list[str] | None:
            length = utf16_length(value)
            if name_min <= length <= name_max and regex.fullmatch(value) is not None:
                return None
            if length < arn_min:
                return [too_short]
            if value.startswith(ARN_PREFIX):
                return [errors.constraint_length_max(arn_max)] if length > arn_max else None
            failing = []
            if regex.fullmatch(value) is None:  # inferred: pattern before length
                failing.append(pattern)
            if length < name_min:
                failing.append(errors.constraint_length_min(name_min))
            if length > name_max:
                failing.append(errors.constraint_length_max(name_max))
            return failing

        return own_table_name

    def table_name_bracket(self) -> Bracket:
        """Map keys naming tables: the TableName bracket (live BatchWriteItem texts)."""
        own = self.own_table_name()
        arn, name = self.shapes["TableArn"], self.shapes["TableName"]
        for_arn = (
            errors.constraint_length_max(arn["max"]),
            errors.constraint_length_min(arn["min"]),
        )
        for_name = (
            errors.constraint_length_max(name["max"]),
            errors.constraint_length_min(name["min"]),
            errors.constraint_pattern(name["pattern"]),
        )

        def bracket(value: str) -> tuple[str, ...] | None:
            if own(value) is None:
                return None
            return for_arn if value.startswith(ARN_PREFIX) else for_name

        return bracket

    def list_walk(self, name: str, shape: dict[str, Any]) -> Walk | None:
        element = shape["member"]["shape"]
        bracket = self.bracket(element)
        below = self.walk(element)
        if bracket is None and below is None:
            return None
        render = self.render

        def walk_list(value: list[Any], path: str, out: list[str]) -> None:
            for index, item in enumerate(value, 1):
                if item is None:
                    continue
                if bracket is not None:
                    phrases = bracket(item)
                    if phrases is not None:
                        constraint = errors.constraint_list_member(phrases)
                        out.append(errors.shape_violation(render(name, value), path, constraint))
                if below is not None:
                    below(item, f"{path}.{index}.member", out)
                if len(out) >= REPORTED_MAX:
                    return

        return walk_list

    def map_walk(self, name: str, shape: dict[str, Any]) -> Walk | None:
        key_shape, value_shape = shape["key"]["shape"], shape["value"]["shape"]
        keys = self.table_name_bracket() if name in TABLE_NAME_MAPS else self.bracket(key_shape)
        values = self.bracket(value_shape)
        below = self.walk(value_shape)
        if keys is None and values is None and below is None:
            return None
        render = self.render

        def walk_map(value: dict[str, Any], path: str, out: list[str]) -> None:
            # Keys, then values, then what is below them (dynalite's order).
            if keys is not None:
                for key in value:
                    phrases = keys(key)
                    if phrases is not None:
                        constraint = errors.constraint_map_keys(phrases)
                        out.append(errors.shape_violation(render(name, value), path, constraint))
            if values is not None:
                for item in value.values():
                    phrases = values(item) if item is not None else None
                    if phrases is not None:
                        constraint = errors.constraint_map_value(phrases)
                        out.append(errors.shape_violation(render(name, value), path, constraint))
            if below is not None:
                for key, item in value.items():
                    if len(out) >= REPORTED_MAX:
                        return
                    if item is not None:
                        below(item, f"{path}.{key}.member", out)

        return walk_map


def walk_nothing(value: Any, path: str, out: list[str]) -> None:
    return None


def own_size(minimum: int | None, maximum: int | None) -> Own | None:
    if minimum is None and maximum is None:
        return None

    def own_size(value: list[Any] | dict[str, Any]) -> list[str] | None:
        size = len(value)
        failing = []
        if minimum is not None and size < minimum:
            failing.append(errors.constraint_length_min(minimum))
        if maximum is not None and size > maximum:
            failing.append(errors.constraint_length_max(maximum))
        return failing or None

    return own_size


def own_value(minimum: int | None, maximum: int | None) -> Own | None:
    if minimum is None and maximum is None:
        return None

    def own_value(value: int | float) -> list[str] | None:
        failing = []
        if minimum is not None and value < minimum:
            failing.append(errors.constraint_value_min(minimum))
        if maximum is not None and value > maximum:
            failing.append(errors.constraint_value_max(maximum))
        return failing or None

    return own_value


# --- operations -----------------------------------------------------------------------


def pre_check(operation: str) -> Callable[[dict[str, Any]], None] | None:
    if operation in PARAMETER_REQUIRED:

        def table_name_present(request: dict[str, Any]) -> None:
            if request.get("TableName") is None:
                raise errors.parameter_required("TableName")

        return table_name_present
    if operation in REQUEST_ITEMS_REQUIRED:

        def request_items_present(request: dict[str, Any]) -> None:
            if request.get("RequestItems") == {}:
                raise errors.request_items_required(operation)

        return request_items_present
    return None


def operation_validator(
    compiler: Compiler, operation: str, input_shape: str
) -> Callable[[dict[str, Any]], None]:
    check_types = compiler.type_check(input_shape, field=True)
    check_presence = pre_check(operation)
    walk = compiler.walk(input_shape)

    def validate_operation(request: dict[str, Any]) -> None:
        out: list[str] = []
        try:
            check_types(request)
            if check_presence is not None:
                check_presence(request)
            if walk is not None:
                walk(request, "", out)
        except RecursionError:
            # Only absurdly nested AttributeValues get here; the item rules reject them.
            raise errors.nesting_too_deep() from None
        if out:
            raise errors.shape_errors(out[:REPORTED_MAX])

    return validate_operation


def load_model(service_name: str) -> dict[str, Any]:
    """botocore's bundled model, read directly (importing botocore.loaders costs 0.1 s)."""
    folder = importlib.resources.files("botocore") / "data" / service_name / API_VERSION
    compressed = folder / "service-2.json.gz"
    if compressed.is_file():
        model: dict[str, Any] = orjson.loads(gzip.decompress(compressed.read_bytes()))
    else:
        model = orjson.loads((folder / "service-2.json").read_bytes())
    return model


def compile_service(service_name: str) -> dict[str, Callable[[dict[str, Any]], None]]:
    model = load_model(service_name)
    compiler = Compiler(model)
    if service_name == "dynamodb":
        # Every override names a real shape: a model update that renames one fails here.
        assert set(MEMBER_ORDER) <= set(compiler.shapes), set(MEMBER_ORDER) - set(compiler.shapes)
        assert set(ENUM_ORDER) <= set(compiler.shapes), set(ENUM_ORDER) - set(compiler.shapes)
        for name in MEMBER_ORDER:
            compiler.member_order(name, compiler.shapes[name])
        for name in ENUM_ORDER:
            compiler.enum_order(name, compiler.shapes[name])
    return {
        operation: operation_validator(compiler, operation, spec["input"]["shape"])
        for operation, spec in model["operations"].items()
    }


VALIDATORS: dict[str, dict[str, Callable[[dict[str, Any]], None]]] = {
    DYNAMODB_SERVICE: compile_service("dynamodb"),
    STREAMS_SERVICE: compile_service("dynamodbstreams"),
}
OPERATION_NAMES: frozenset[str] = frozenset(VALIDATORS[DYNAMODB_SERVICE])
STREAMS_OPERATION_NAMES: frozenset[str] = frozenset(VALIDATORS[STREAMS_SERVICE])


def validate(service: str, operation: str, request: dict[str, Any]) -> None:
    """Check ``request`` (a decoded JSON object) against ``operation``'s input shape.

    Raises SerializationException, then the pre-check ValidationExceptions, then one
    ValidationException listing up to ten constraint violations. May replace, in place,
    floats given for integer members and "true"/"false" given for boolean members.
    """
    validators = VALIDATORS.get(service)
    validator = validators.get(operation) if validators is not None else None
    if validator is None:
        raise errors.unknown_operation()
    validator(request)
