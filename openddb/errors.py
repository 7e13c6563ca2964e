"""Every DynamoDB error openddb can answer, and every message text, built once.

Each class is one wire ``__type``; its ``namespace`` is the prefix DynamoDB puts
before the ``#`` (``com.amazonaws.dynamodb.v20120810`` for modelled errors,
``com.amazon.coral.validate`` for validation, ``com.amazon.coral.service`` for
framework errors). Messages are built by the named functions at the bottom so a
text exists once in the repository. Sources: the Developer Guide page
"Error handling with DynamoDB" (Programming.Errors) and the texts collected in
``shared/reference/dynamodb-api.md`` section 4 and ``behaviours.md``.
"""

from __future__ import annotations

from typing import Any

DYNAMODB_NAMESPACE = "com.amazonaws.dynamodb.v20120810"
VALIDATE_NAMESPACE = "com.amazon.coral.validate"
SERVICE_NAMESPACE = "com.amazon.coral.service"


class DynamoDBError(Exception):
    """An error answered to the client: HTTP ``status``, ``__type`` and message.

    ``extra`` holds modelled members sent beside the message (for example
    ``Item`` on ConditionalCheckFailedException, ``CancellationReasons`` on
    TransactionCanceledException).
    """

    status = 400
    namespace = DYNAMODB_NAMESPACE
    message_member = "message"

    def __init__(self, message: str | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra

    @property
    def code(self) -> str:
        return type(self).__name__

    def to_body(self) -> dict[str, Any]:
        """The JSON error body: ``{"__type": "<namespace>#<Code>", "message": ...}``."""
        body: dict[str, Any] = {"__type": f"{self.namespace}#{self.code}"}
        if self.message is not None:
            body[self.message_member] = self.message
        body.update(self.extra)
        return body


# --- framework errors (com.amazon.coral.service) -----------------------------


class SerializationException(DynamoDBError):
    namespace = SERVICE_NAMESPACE
    message_member = "Message"


class UnknownOperationException(DynamoDBError):
    namespace = SERVICE_NAMESPACE


class MissingAuthenticationTokenException(DynamoDBError):
    namespace = SERVICE_NAMESPACE


class RequestEntityTooLarge(DynamoDBError):
    """Body larger than DynamoDB accepts; answered with HTTP 413."""

    status = 413
    namespace = SERVICE_NAMESPACE


# --- validation (com.amazon.coral.validate) ----------------------------------


class ValidationException(DynamoDBError):
    namespace = VALIDATE_NAMESPACE


# --- modelled DynamoDB errors -------------------------------------------------


class ResourceNotFoundException(DynamoDBError):
    pass


class ResourceInUseException(DynamoDBError):
    pass


class LimitExceededException(DynamoDBError):
    pass


class ConditionalCheckFailedException(DynamoDBError):
    pass


class InternalServerError(DynamoDBError):
    """Our own fault; logged with a traceback. HTTP 500."""

    status = 500


# --- message builders ---------------------------------------------------------


def internal_server_error() -> InternalServerError:
    return InternalServerError("Internal server error")


def unknown_operation() -> UnknownOperationException:
    return UnknownOperationException()


def serialization_error(message: str | None = None) -> SerializationException:
    return SerializationException(message)


def request_too_large(limit: int) -> RequestEntityTooLarge:
    return RequestEntityTooLarge(f"Request must be smaller than {limit} bytes")


def table_not_found(table_name: str) -> ResourceNotFoundException:
    """Control-plane text (DescribeTable, DeleteTable, UpdateTable, tags)."""
    return ResourceNotFoundException(f"Requested resource not found: Table: {table_name} not found")


def resource_not_found() -> ResourceNotFoundException:
    """Data-plane text (GetItem, PutItem, Query, ...)."""
    return ResourceNotFoundException("Requested resource not found")


def table_already_exists(table_name: str) -> ResourceInUseException:
    return ResourceInUseException(f"Table already exists: {table_name}")


def table_in_use(table_name: str, status: str) -> ResourceInUseException:
    verb = {"CREATING": "created", "UPDATING": "updated", "DELETING": "deleted"}[status]
    return ResourceInUseException(
        f"Attempt to change a resource which is still in use: Table is being {verb}: {table_name}"
    )


def deletion_protected() -> ValidationException:
    return ValidationException(
        "Resource cannot be deleted as it is currently protected against deletion. "
        "Disable deletion protection first."
    )


def validation(message: str) -> ValidationException:
    """A ValidationException whose text was composed by a builder in this module."""
    return ValidationException(message)


def parameter_invalid(detail: str) -> ValidationException:
    """``One or more parameter values were invalid: <detail>``."""
    return ValidationException(f"One or more parameter values were invalid: {detail}")


def parameter_values_not_valid(detail: str) -> ValidationException:
    """``One or more parameter values are not valid. <detail>`` (newer wording)."""
    return ValidationException(f"One or more parameter values are not valid. {detail}")


def key_schema_mismatch() -> ValidationException:
    return ValidationException("The provided key element does not match the schema")


def key_type_mismatch(name: str, expected: str, actual: str) -> ValidationException:
    return parameter_invalid(f"Type mismatch for key {name} expected: {expected} actual: {actual}")


def missing_key(name: str) -> ValidationException:
    return parameter_invalid(f"Missing the key {name} in the item")


def empty_key_value(name: str) -> ValidationException:
    return parameter_values_not_valid(
        "The AttributeValue for a key attribute cannot contain an empty string value. "
        f"Key: {name}"
    )


def empty_binary_key_value(name: str) -> ValidationException:
    return parameter_values_not_valid(
        "The AttributeValue for a key attribute cannot contain an empty binary value. "
        f"Key: {name}"
    )


def partition_key_too_large(limit: int) -> ValidationException:
    # sic: no space before the number, as the service sends it
    return parameter_invalid(f"Size of hashkey has exceeded the maximum size limit of{limit} bytes")


def sort_key_too_large(limit: int) -> ValidationException:
    return parameter_invalid(
        f"Aggregated size of all range keys has exceeded the size limit of {limit} bytes"
    )


def item_too_large() -> ValidationException:
    return ValidationException("Item size has exceeded the maximum allowed size")


def attribute_value_empty() -> ValidationException:
    return ValidationException(
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
    )


def attribute_value_multiple_types() -> ValidationException:
    return ValidationException(
        "Supplied AttributeValue has more than one datatypes set, "
        "must contain exactly one of the supported datatypes"
    )


def empty_set(set_type: str) -> ValidationException:
    phrase = {
        "SS": "An string set  may not be empty",
        "NS": "An number set  may not be empty",
        "BS": "Binary sets should not be empty",
    }[set_type]
    return parameter_invalid(phrase)


def set_duplicates(shown: str) -> ValidationException:
    return parameter_invalid(f"Input collection {shown} contains duplicates.")


def null_not_true() -> ValidationException:
    return parameter_invalid("Null attribute value types must have the value of true")


def number_too_precise() -> ValidationException:
    return ValidationException("Attempting to store more than 38 significant digits in a Number")


def number_overflow() -> ValidationException:
    return ValidationException(
        "Number overflow. Attempting to store a number with magnitude larger than supported range"
    )


def number_underflow() -> ValidationException:
    return ValidationException(
        "Number underflow. Attempting to store a number with magnitude smaller than supported range"
    )


def number_not_numeric(text: str) -> ValidationException:
    return ValidationException(f"The parameter cannot be converted to a numeric value: {text}")


def number_empty() -> ValidationException:
    """``{"N": ""}``: the same text without the ``: <value>`` suffix (dynalite tests)."""
    return ValidationException("The parameter cannot be converted to a numeric value")


def nesting_too_deep() -> ValidationException:
    return ValidationException(
        "Nesting Levels have exceeded supported limits: "
        "Attributes in the item have nested levels beyond supported limit"
    )


def return_values_put_delete() -> ValidationException:
    """PutItem and DeleteItem accept only NONE and ALL_OLD (API reference, ReturnValues)."""
    return ValidationException("ReturnValues can only be ALL_OLD or NONE")


def shape_errors(errors: list[str]) -> ValidationException:
    """``N validation error(s) detected: <e1>; <e2>`` (at most ten are listed)."""
    count = len(errors)
    noun = "error" if count == 1 else "errors"
    return ValidationException(f"{count} validation {noun} detected: " + "; ".join(errors))


# --- request shapes (protocol/shapes.py) ---------------------------------------
# SerializationException texts: dynalite test/helpers.js ``assertType`` (its suite runs
# against DynamoDB with REMOTE=1); "NUMBER_VALUE cannot be converted to String" and
# "Unrecognized collection type class java.lang.String" also in live captures
# (localstack/localstack#9412, pynamodb/PynamoDB#945).


def cannot_convert(token: str, java_type: str) -> SerializationException:
    """``<TOKEN> cannot be converted to <Type>``; token is the JSON token DynamoDB's parser
    met: NUMBER_VALUE, DECIMAL_VALUE, STRING_VALUE, TRUE_VALUE or FALSE_VALUE."""
    return SerializationException(f"{token} cannot be converted to {java_type}")


def unexpected_field_type() -> SerializationException:
    """A scalar where a structure, list or map member was expected."""
    return SerializationException("Unexpected field type")


def unexpected_value_type() -> SerializationException:
    """A scalar where a structure list element or map value was expected."""
    return SerializationException("Unexpected value type in payload")


def start_of_structure() -> SerializationException:
    """A JSON object where a scalar or a list was expected."""
    return SerializationException("Start of structure or map found where not expected")


def unrecognized_collection(java_type: str) -> SerializationException:
    """A JSON array where a scalar, structure or map was expected."""
    return SerializationException(f"Unrecognized collection type {java_type}")


def unexpected_token() -> SerializationException:
    """A string other than true/false where a boolean was expected."""
    return SerializationException("Unexpected token received from parser")


def parameterized_collection() -> SerializationException:
    """A scalar where a list or map nested in another list or map was expected (Java leaks
    its reflection error here; the text is DynamoDB's, verbatim)."""
    return SerializationException(
        "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to "
        "class java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl "
        "and java.lang.Class are in module java.base of loader 'bootstrap')"
    )


def blob_not_string() -> SerializationException:
    return SerializationException("only base-64-encoded strings are convertible to bytes")


def base64_length(length: int) -> SerializationException:
    return SerializationException(
        f"Base64 encoded length is expected a multiple of 4 bytes but found: {length}"
    )


def base64_last_character() -> SerializationException:
    # sic: "dectected", as the service sends it
    return SerializationException("Invalid last non-pad Base64 character dectected")


def base64_character(character: str) -> SerializationException:
    """Inferred wording (dynalite's older emulation); not confirmed from the service."""
    return SerializationException(f"Invalid Base64 character: '{character}'")


def parameter_required(name: str) -> ValidationException:
    """Control-plane operations called without TableName (live CreateTable capture, 2026)."""
    return ValidationException(
        f"The parameter '{name}' is required but was not present in the request"
    )


def request_items_required(operation: str) -> ValidationException:
    """BatchWriteItem with ``RequestItems: {}`` (live, 2026; regions on the older validator)."""
    return ValidationException(f"The requestItems parameter is required for {operation}")


def shape_violation(value: str | None, path: str, constraint: str) -> str:
    """One entry of :func:`shape_errors`; ``value`` is already rendered Java-style, None
    prints as ``Value null``."""
    shown = "null" if value is None else f"'{value}'"
    return f"Value {shown} at '{path}' failed to satisfy constraint: {constraint}"


def constraint_not_null() -> str:
    return "Member must not be null"


def constraint_length_min(bound: int) -> str:
    return f"Member must have length greater than or equal to {bound}"


def constraint_length_max(bound: int) -> str:
    return f"Member must have length less than or equal to {bound}"


def constraint_value_min(bound: int | float) -> str:
    return f"Member must have value greater than or equal to {bound}"


def constraint_value_max(bound: int | float) -> str:
    return f"Member must have value less than or equal to {bound}"


def constraint_pattern(pattern: str) -> str:
    return f"Member must satisfy regular expression pattern: {pattern}"


def constraint_enum(values: tuple[str, ...]) -> str:
    return "Member must satisfy enum value set: [" + ", ".join(values) + "]"


def constraint_map_keys(constraints: tuple[str, ...]) -> str:
    return "Map keys must satisfy constraint: [" + ", ".join(constraints) + "]"


def constraint_map_value(constraints: tuple[str, ...]) -> str:
    return "Map value must satisfy constraint: [" + ", ".join(constraints) + "]"


def constraint_list_member(constraints: tuple[str, ...]) -> str:
    """Inferred by analogy with the map forms (other Coral services print it)."""
    return "Member must satisfy constraint: [" + ", ".join(constraints) + "]"


def unexpected_value_type_text() -> str:
    """SerializationException text for a JSON value of the wrong type inside an item."""
    return "Unexpected value type in payload"


def invalid_base64(text: str) -> SerializationException:
    """A ``B``/``BS`` member that is not valid base64 (Coral rejects it while parsing)."""
    return SerializationException(
        f"Base64 encoded length is expected a multiple of 4 bytes but found: {len(text)}"
        if len(text) % 4
        else "Invalid Base64 character in the value"
    )


def item_key_not_in_schema() -> ValidationException:
    return key_schema_mismatch()


# --- table definitions ----------------------------------------------------------


def too_many_tables(limit: int) -> LimitExceededException:
    return LimitExceededException(
        f"Subscriber limit exceeded: Number of tables in this Region exceeds the limit of {limit}"
    )


def index_keys_not_defined(keys: list[str], definitions: list[str]) -> ValidationException:
    return parameter_invalid(
        "Some index key attributes are not defined in AttributeDefinitions. "
        f"Keys: [{', '.join(keys)}], AttributeDefinitions: [{', '.join(definitions)}]"
    )


def attribute_definitions_mismatch() -> ValidationException:
    return parameter_invalid(
        "Number of attributes in KeySchema does not exactly match number of attributes "
        "defined in AttributeDefinitions"
    )


def first_key_not_hash() -> ValidationException:
    return ValidationException(
        "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"
    )


def second_key_not_range() -> ValidationException:
    return ValidationException(
        "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type"
    )


def hash_and_range_same_name() -> ValidationException:
    return ValidationException(
        "Both the Hash Key and the Range Key element in the KeySchema have the same name"
    )


def throughput_required() -> ValidationException:
    return parameter_invalid(
        "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is "
        "PROVISIONED"
    )


def throughput_not_allowed() -> ValidationException:
    return parameter_invalid(
        "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is "
        "PAY_PER_REQUEST"
    )


def not_supported_yet(parameter: str) -> ValidationException:
    """A DynamoDB parameter openddb does not implement yet: refused rather than ignored."""
    return ValidationException(f"openddb does not support {parameter} yet")


# --- tags -------------------------------------------------------------------------


def resource_arn_not_found(resource_arn: str) -> ResourceNotFoundException:
    # sic: "ResourcArn", as the service spells it
    return ResourceNotFoundException(
        f"Requested resource not found: ResourcArn: {resource_arn} not found"
    )


def reserved_tag_key() -> ValidationException:
    return ValidationException("User-defined tag keys can not start with the prefix 'aws:'")


def too_many_tags() -> LimitExceededException:
    return LimitExceededException("The number of tags exceeds the limit for this resource")


def not_an_object_text() -> str:
    """SerializationException text for a body that is JSON but not an object."""
    return "Start of list found where not expected"


def missing_authentication_token() -> MissingAuthenticationTokenException:
    return MissingAuthenticationTokenException("Request is missing Authentication Token")
