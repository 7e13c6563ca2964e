"""UpdateTable: semantic validation and the TableDescription after the update.

UpdateTable is one logical change per call on the live service (ACK lab
DDB-TABLE-433): deletion protection, encryption, table class and warm
throughput must each come alone, on-demand throughput only with a billing-mode
switch, and a GSI create or delete neither with a throughput nor a stream change.
Validation runs in two phases, as on the service: request-only rules first
(they answer even for a missing table), then the rules that compare the request
with the table. Texts and their sources are in ``errors.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from openddb import errors, limits
from openddb.model import table_schema
from openddb.model.index import DELETING_INDEXES_MEMBER
from openddb.model.table import (
    UPDATING_INDEXES,
    UPDATING_OTHER,
    UPDATING_STREAM,
    UPDATING_THROUGHPUT,
)
from openddb.model.table_schema import (
    BILLING_PAY_PER_REQUEST,
    BILLING_PROVISIONED,
    CAPACITY_MEMBERS,
    ON_DEMAND_MEMBERS,
    ON_DEMAND_UNLIMITED,
    WARM_MEMBERS,
    Json,
)

# The members named by "At least one of ... is required", in the service's order; three of
# them are not in the public model (ACK lab DDB-TABLE-449, live).
REQUIRED_ONE_OF = (
    "ProvisionedThroughput",
    "BillingMode",
    "UpdateStreamEnabled",
    "GlobalSecondaryIndexUpdates",
    "SSESpecification",
    "ReplicaUpdates",
    "MultiAccountReplicaReady",
    "ReplicaTransitRoleArn",
    "MultiRegionConsistency",
    "DeletionProtectionEnabled",
    "OnDemandThroughput",
    "WarmThroughput",
    "TableClass",
)
# Request members that make an UpdateTable a change (an empty list counts as absent).
CHANGE_MEMBERS = (
    "ProvisionedThroughput",
    "BillingMode",
    "StreamSpecification",
    "GlobalSecondaryIndexUpdates",
    "SSESpecification",
    "ReplicaUpdates",
    "DeletionProtectionEnabled",
    "OnDemandThroughput",
    "WarmThroughput",
    "TableClass",
    "GlobalTableWitnessUpdates",
    "VectorIndexUpdates",
    "GlobalTableSettingsReplicationMode",
    "DisassociationProtectionEnabled",
)
# Global tables and vector indexes come later; refused rather than ignored.
NOT_SUPPORTED_YET = (
    "ReplicaUpdates",
    "GlobalTableWitnessUpdates",
    "MultiRegionConsistency",
    "VectorIndexUpdates",
    "GlobalTableSettingsReplicationMode",
    "DisassociationProtectionEnabled",
)
# Members that must be the only change, in the order the service picks the message.
ALONE_MEMBERS = (
    ("SSESpecification", "Server-Side Encryption"),
    ("TableClass", "TableClass"),
    ("DeletionProtectionEnabled", "DeletionProtection"),
)
ACTIONS = ("Update", "Create", "Delete")
TABLE_CLASS_STANDARD = "STANDARD"


def normalized(request: Json) -> Json:
    """``WarmThroughput: {}`` / ``OnDemandThroughput: {}`` count as absent next to another
    change (ACK lab DDB-TABLE-456; alone the service answers HTTP 500, openddb treats them
    as absent)."""
    return {
        member: value
        for member, value in request.items()
        if not (member in ("WarmThroughput", "OnDemandThroughput") and value == {})
    }


def changes(request: Json) -> list[str]:
    return [member for member in CHANGE_MEMBERS if request.get(member) not in (None, [])]


def index_actions(request: Json, action: str) -> list[Json]:
    return [entry[action] for entry in request.get("GlobalSecondaryIndexUpdates", [])
            if action in entry]


# --- request-only validation -------------------------------------------------------------


def validate_update_request(request: Json) -> None:
    """Rules that need no table (the service checks them before the table's existence)."""
    if not changes(request):
        # The list leaves out members the request holds (seen for MultiRegionConsistency;
        # an empty GlobalSecondaryIndexUpdates list is still listed).
        listed = [m for m in REQUIRED_ONE_OF if request.get(m) in (None, [])]
        raise errors.nothing_to_update(listed)
    for parameter in NOT_SUPPORTED_YET:
        if parameter in request:
            raise errors.not_supported_yet(parameter)
    if request.get("GlobalSecondaryIndexUpdates") == []:
        raise errors.index_list_empty("GlobalSecondaryIndexUpdates")
    _validate_combination(request)
    _validate_stream_specification(request.get("StreamSpecification"))
    table_schema.validate_sse_specification(request.get("SSESpecification"))
    if "ProvisionedThroughput" in request:
        table_schema.validate_capacity_bounds(request["ProvisionedThroughput"], None)
    _validate_index_update_entries(request)


def _validate_combination(request: Json) -> None:
    present = set(changes(request))
    for member, modification in ALONE_MEMBERS:
        if member in present and len(present) > 1:
            raise errors.update_must_be_alone(modification)
    if "OnDemandThroughput" in present and present - {"OnDemandThroughput", "BillingMode"}:
        raise errors.on_demand_only_with_billing_mode()
    creates_or_deletes = index_actions(request, "Create") + index_actions(request, "Delete")
    if "WarmThroughput" in present:
        if index_actions(request, "Create"):
            raise errors.index_create_with_warm_update()
        if len(present) > 1:
            raise errors.warm_update_must_be_alone()
    iops = "ProvisionedThroughput" in present or request.get("BillingMode") == BILLING_PROVISIONED
    if "StreamSpecification" in present and iops:
        raise errors.stream_with_iops_change()
    if creates_or_deletes and "ProvisionedThroughput" in present:
        raise errors.index_change_with_iops_change()
    if creates_or_deletes and "StreamSpecification" in present:
        raise errors.index_change_with_stream_change()


def _validate_stream_specification(specification: Json | None) -> None:
    if specification is None:
        return
    if specification.get("StreamEnabled") and "StreamViewType" not in specification:
        raise errors.stream_view_type_required()
    if not specification.get("StreamEnabled") and "StreamViewType" in specification:
        raise errors.stream_view_type_not_allowed()


def _validate_index_update_entries(request: Json) -> None:
    names: set[str] = set()
    for entry in request.get("GlobalSecondaryIndexUpdates", []):
        present = [action for action in ACTIONS if action in entry]
        if not present:
            raise errors.index_update_without_action()
        if len(present) > 1:
            raise errors.index_update_several_actions()
        action = entry[present[0]]
        name = action["IndexName"]
        if name in names:
            raise errors.index_updated_twice(name)
        names.add(name)
        if present[0] == "Update":
            _validate_index_update_entry(action)
        if present[0] == "Create":
            _validate_index_create_entry(action, request)


def _validate_index_update_entry(action: Json) -> None:
    name = action["IndexName"]
    if action.get("WarmThroughput") == {}:
        raise errors.warm_empty_for_index(name)
    if "ProvisionedThroughput" in action:
        table_schema.validate_capacity_bounds(action["ProvisionedThroughput"], name)


def _validate_index_create_entry(action: Json, request: Json) -> None:
    name = action["IndexName"]
    if "AttributeDefinitions" not in request:
        raise errors.index_attribute_definitions_missing(name)
    definitions = table_schema.attribute_types(request["AttributeDefinitions"])
    table_schema.validate_keys_defined(action["KeySchema"], definitions)
    table_schema.validate_global_key_schema(action["KeySchema"])
    table_schema.validate_projection(action["Projection"])
    if "ProvisionedThroughput" in action:
        table_schema.validate_capacity_bounds(action["ProvisionedThroughput"], name)


# --- validation against the table ----------------------------------------------------


def validate_update_against(description: Json, table_name: str, request: Json, now: float) -> None:
    """Rules comparing the request with the table (after its existence and status)."""
    mode = table_schema.billing_mode_of(description)
    target = request.get("BillingMode", mode)
    _validate_billing(description, request, mode, target)
    table_schema.validate_on_demand(request.get("OnDemandThroughput"), target, None, False)
    _validate_warm(description.get("WarmThroughput"), request.get("WarmThroughput"), None)
    _validate_stream(description, table_name, request.get("StreamSpecification"))
    _validate_sse(description, request.get("SSESpecification"))
    _validate_index_updates(description, table_name, request, target)
    _validate_index_limits(description, request)
    _validate_decrease_budget(description, request, now)


def _validate_billing(description: Json, request: Json, mode: str, target: str) -> None:
    throughput = request.get("ProvisionedThroughput")
    if target == BILLING_PAY_PER_REQUEST:
        if throughput is not None:
            raise errors.throughput_not_allowed()
        return
    if "BillingMode" in request and throughput is None:
        raise errors.update_throughput_required()
    if mode == BILLING_PAY_PER_REQUEST:
        _validate_every_index_provisioned(description, request)
        return
    current = description["ProvisionedThroughput"]
    if throughput is not None and _same_capacity(current, throughput):
        raise errors.throughput_unchanged(None, _capacity(current), _capacity(throughput))


def _validate_every_index_provisioned(description: Json, request: Json) -> None:
    """Switching to PROVISIONED needs an Update with throughput for every GSI."""
    provisioned = {
        action["IndexName"]
        for action in index_actions(request, "Update")
        if "ProvisionedThroughput" in action
    }
    deleted = {action["IndexName"] for action in index_actions(request, "Delete")}
    for index in description.get("GlobalSecondaryIndexes", []):
        if index["IndexName"] not in provisioned | deleted:
            raise errors.update_index_throughput_required(index["IndexName"])


def _validate_warm(current: Json | None, requested: Json | None, index_name: str | None) -> None:
    """Warm throughput only grows (ACK lab DDB-TABLE-155); equal values are accepted."""
    for member in WARM_MEMBERS:
        if requested and current and member in requested and requested[member] < current[member]:
            raise errors.warm_decrease(member, index_name)


def _validate_stream(description: Json, table_name: str, specification: Json | None) -> None:
    if specification is None:
        return
    enabled = description.get("StreamSpecification", {}).get("StreamEnabled", False)
    if specification["StreamEnabled"] and enabled:
        raise errors.stream_already_enabled(table_name)
    if not specification["StreamEnabled"] and not enabled:
        raise errors.stream_not_enabled(table_name)


def _validate_sse(description: Json, specification: Json | None) -> None:
    """Only the exact current key ARN, or disabling what is not enabled, is a refused no-op
    (ACK lab DDB-TABLE-082, 141)."""
    if specification is None:
        return
    current = description.get("SSEDescription")
    if not table_schema.sse_enabled(specification):
        if current is None:
            raise errors.sse_already_default()
        return
    key_id = specification.get("KMSMasterKeyId")
    if current is not None and key_id is not None and key_id == current["KMSMasterKeyArn"]:
        raise errors.sse_same_key()


def _validate_index_updates(description: Json, table_name: str, request: Json, target: str) -> None:
    global_indexes = {i["IndexName"]: i for i in description.get("GlobalSecondaryIndexes", [])}
    local_names = {i["IndexName"] for i in description.get("LocalSecondaryIndexes", [])}
    for entry in request.get("GlobalSecondaryIndexUpdates", []):
        if "Create" in entry:
            _validate_index_create(entry["Create"], global_indexes, local_names, target)
            continue
        action = entry.get("Update") or entry["Delete"]
        name = action["IndexName"]
        verb = "update" if "Update" in entry else "delete"
        if name in local_names:
            raise errors.index_not_global(verb, name)
        if name not in global_indexes:
            raise errors.index_not_found(name, table_name)
        if "Update" in entry:
            if global_indexes[name].get("Backfilling"):
                raise errors.index_being_updated(table_name, name)
            _validate_index_update(global_indexes[name], action, target)


def _validate_index_create(
    action: Json, global_indexes: dict[str, Json], local_names: set[str], target: str
) -> None:
    name = action["IndexName"]
    if name in global_indexes or name in local_names:
        raise errors.index_already_exists()
    throughput = action.get("ProvisionedThroughput")
    if target == BILLING_PROVISIONED and throughput is None:
        raise errors.index_create_throughput_required(name)
    if target == BILLING_PAY_PER_REQUEST and throughput is not None:
        raise errors.index_create_throughput_not_allowed(name)
    table_schema.validate_on_demand(action.get("OnDemandThroughput"), target, name, False)


def _validate_index_update(index: Json, action: Json, target: str) -> None:
    name = action["IndexName"]
    throughput = action.get("ProvisionedThroughput")
    on_demand = action.get("OnDemandThroughput")
    on_demand_only = on_demand or action.get("WarmThroughput")
    if target == BILLING_PAY_PER_REQUEST and (throughput is not None or not on_demand_only):
        raise errors.index_update_on_demand_only(name)
    table_schema.validate_on_demand(on_demand, target, name, False)
    if target == BILLING_PROVISIONED and throughput is None and not action.get("WarmThroughput"):
        # Inferred: the service's text for an Update with nothing to change on a
        # PROVISIONED table was not captured; this is its GSI-create counterpart.
        raise errors.index_create_throughput_required(name)
    current = index["ProvisionedThroughput"]
    if throughput is not None and _same_capacity(current, throughput):
        raise errors.throughput_unchanged(name, _capacity(current), _capacity(throughput))
    _validate_warm(index.get("WarmThroughput"), action.get("WarmThroughput"), name)


def _validate_index_limits(description: Json, request: Json) -> None:
    """LimitExceededException rules; the service checks them after validation."""
    creates = index_actions(request, "Create")
    deletes = index_actions(request, "Delete")
    if len(creates) + len(deletes) > limits.ONLINE_INDEX_CHANGES_MAX:
        raise errors.online_index_limit()
    if (creates or deletes) and _other_index_change_running(description, deletes):
        raise errors.online_index_limit()
    existing = description.get("GlobalSecondaryIndexes", [])
    if creates and len(existing) + len(creates) > limits.GLOBAL_SECONDARY_INDEXES_MAX:
        raise errors.global_index_limit_exceeded(limits.GLOBAL_SECONDARY_INDEXES_MAX)
    indexes = existing + description.get("LocalSecondaryIndexes", []) + creates
    total = sum(len(index["Projection"].get("NonKeyAttributes", [])) for index in indexes)
    if creates and total > limits.PROJECTED_ATTRIBUTES_MAX:
        raise errors.projected_attributes_too_many(limits.PROJECTED_ATTRIBUTES_MAX)


def _other_index_change_running(description: Json, deletes: list[Json]) -> bool:
    """A GSI is still being built or deleted (openddb/indexes/lifecycle.py). Deleting the
    index being built is allowed: a CREATING index can be deleted while it backfills
    (Developer Guide GSI.OnlineOps)."""
    if description.get(DELETING_INDEXES_MEMBER):
        return True
    deleted = {action["IndexName"] for action in deletes}
    return any(
        index.get("Backfilling") and index["IndexName"] not in deleted
        for index in description.get("GlobalSecondaryIndexes", [])
    )


def _validate_decrease_budget(description: Json, request: Json, now: float) -> None:
    """Four decreases per UTC day, then one per hour after the last (table and each GSI
    count separately; ACK lab DDB-TABLE-157, 326)."""
    _check_decrease(description["ProvisionedThroughput"], request.get("ProvisionedThroughput"),
                    now)
    global_indexes = {i["IndexName"]: i for i in description.get("GlobalSecondaryIndexes", [])}
    for action in index_actions(request, "Update"):
        current = global_indexes[action["IndexName"]]["ProvisionedThroughput"]
        _check_decrease(current, action.get("ProvisionedThroughput"), now)


def _check_decrease(current: Json, requested: Json | None, now: float) -> None:
    if requested is None or not _is_decrease(current, requested):
        return
    count = table_schema.decreases_today(current, now)
    if count < limits.THROUGHPUT_DECREASES_PER_DAY_FREE:
        return
    last = current["LastDecreaseDateTime"]
    next_allowed = last + limits.THROUGHPUT_DECREASE_INTERVAL_SECONDS
    if now < next_allowed:
        raise errors.throughput_decreases_limited(
            count, _java_full_date(last), _java_full_date(next_allowed)
        )


def _java_full_date(epoch_seconds: float) -> str:
    """Java's FULL date-time style in UTC, as the service prints it:
    ``Friday, October 9, 2026 at 12:21:34 AM Coordinated Universal Time``."""
    moment = datetime.fromtimestamp(epoch_seconds, tz=UTC)
    hour = moment.hour % 12 or 12
    half = "AM" if moment.hour < 12 else "PM"
    return (
        f"{moment:%A}, {moment:%B} {moment.day}, {moment.year} at "
        f"{hour}:{moment:%M:%S} {half} Coordinated Universal Time"
    )


def _capacity(throughput: Json) -> tuple[int, int]:
    return throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]


def _same_capacity(current: Json, requested: Json) -> bool:
    return _capacity(current) == _capacity(requested)


def _is_decrease(current: Json, requested: Json) -> bool:
    return any(requested[member] < current[member] for member in CAPACITY_MEMBERS)


def _is_increase(current: Json, requested: Json) -> bool:
    return any(requested[member] > current[member] for member in CAPACITY_MEMBERS)


# --- the description after the update ----------------------------------------------------


def updated_description(description: Json, request: Json, now: float) -> Json:
    """The stored TableDescription once the (validated) update is applied."""
    updated = dict(description)
    mode = table_schema.billing_mode_of(description)
    target = request.get("BillingMode", mode)
    _apply_billing(updated, request, mode, target, now)
    _apply_indexes(updated, request, mode, target, now)
    if "DeletionProtectionEnabled" in request:
        updated["DeletionProtectionEnabled"] = request["DeletionProtectionEnabled"]
    if "TableClass" in request:
        _apply_table_class(updated, request["TableClass"], now)
    if "StreamSpecification" in request:
        _apply_stream(updated, request["StreamSpecification"], now)
    if "SSESpecification" in request:
        _apply_sse(updated, request["SSESpecification"])
    if "OnDemandThroughput" in request:
        _put_optional(updated, "OnDemandThroughput",
                      merged_on_demand(updated.get("OnDemandThroughput"),
                                       request["OnDemandThroughput"]))
    if "WarmThroughput" in request:
        updated["WarmThroughput"] = table_schema.warm_description(
            target, updated["ProvisionedThroughput"], request["WarmThroughput"],
            updated["WarmThroughput"])
    return updated


def _apply_billing(updated: Json, request: Json, mode: str, target: str, now: float) -> None:
    throughput = request.get("ProvisionedThroughput")
    if mode == BILLING_PROVISIONED and target == BILLING_PAY_PER_REQUEST:
        updated["BillingModeSummary"] = table_schema.pay_per_request_summary(now)
        updated["ProvisionedThroughput"] = _zero_capacity(updated["ProvisionedThroughput"])
        updated["WarmThroughput"] = table_schema.warm_description(
            target, None, None, updated["WarmThroughput"])
    if mode == BILLING_PAY_PER_REQUEST and target == BILLING_PROVISIONED:
        summary = dict(updated["BillingModeSummary"], BillingMode=BILLING_PROVISIONED)
        updated["BillingModeSummary"] = summary
        updated.pop("OnDemandThroughput", None)
    if throughput is not None:
        updated["ProvisionedThroughput"] = changed_throughput(
            updated["ProvisionedThroughput"], throughput, now, bookkeeping=mode == target)
        updated["WarmThroughput"] = table_schema.warm_description(
            target, throughput, None, updated["WarmThroughput"])


def changed_throughput(current: Json, requested: Json, now: float, bookkeeping: bool) -> Json:
    """New capacity, with the decrease counter and increase/decrease times maintained
    (an RCU decrease with a WCU increase is one decrease, ACK lab DDB-TABLE-157)."""
    answer = dict(current)
    answer.update({member: requested[member] for member in CAPACITY_MEMBERS})
    if bookkeeping and _is_decrease(current, requested):
        answer["NumberOfDecreasesToday"] = table_schema.decreases_today(current, now) + 1
        answer["LastDecreaseDateTime"] = now
    if bookkeeping and _is_increase(current, requested):
        answer["LastIncreaseDateTime"] = now
    return answer


def _zero_capacity(throughput: Json) -> Json:
    return dict(throughput, ReadCapacityUnits=0, WriteCapacityUnits=0)


def merged_on_demand(current: Json | None, requested: Json) -> Json | None:
    """Members merge one by one; -1 clears one; nothing left means no maximum at all."""
    merged = dict(current or {})
    for member in ON_DEMAND_MEMBERS:
        if requested.get(member) == ON_DEMAND_UNLIMITED:
            merged.pop(member, None)
        elif member in requested:
            merged[member] = requested[member]
    return merged or None


def _put_optional(target: Json, member: str, value: Any) -> None:
    if value is None:
        target.pop(member, None)
    else:
        target[member] = value


def _apply_indexes(updated: Json, request: Json, mode: str, target: str, now: float) -> None:
    table_arn = updated["TableArn"]
    indexes = [_index_in_mode(i, mode, target) for i in updated.get("GlobalSecondaryIndexes", [])]
    for entry in request.get("GlobalSecondaryIndexUpdates", []):
        if "Create" in entry:
            action = entry["Create"]
            indexes.append(table_schema.global_index_description(action, table_arn, target))
            _add_definitions(updated, request["AttributeDefinitions"], action["KeySchema"])
        elif "Update" in entry:
            name = entry["Update"]["IndexName"]
            indexes = [_updated_index(index, entry["Update"], target, now)
                       if index["IndexName"] == name else index for index in indexes]
        else:
            name = entry["Delete"]["IndexName"]
            indexes = [index for index in indexes if index["IndexName"] != name]
    _put_optional(updated, "GlobalSecondaryIndexes", indexes or None)
    updated["AttributeDefinitions"] = _used_definitions(updated)


def _index_in_mode(index: Json, mode: str, target: str) -> Json:
    """A billing switch zeroes (to on-demand) or drops on-demand settings (to provisioned)."""
    if mode == target:
        return index
    answer = dict(index)
    answer.pop("OnDemandThroughput", None)
    if target == BILLING_PAY_PER_REQUEST:
        answer["ProvisionedThroughput"] = _zero_capacity(index["ProvisionedThroughput"])
        answer["WarmThroughput"] = table_schema.warm_description(
            target, None, None, index.get("WarmThroughput"))
    return answer


def _updated_index(index: Json, action: Json, target: str, now: float) -> Json:
    answer = dict(index)
    throughput = action.get("ProvisionedThroughput")
    if throughput is not None:
        answer["ProvisionedThroughput"] = changed_throughput(
            index["ProvisionedThroughput"], throughput, now,
            bookkeeping=index["ProvisionedThroughput"]["ReadCapacityUnits"] > 0)
    if action.get("OnDemandThroughput"):
        _put_optional(answer, "OnDemandThroughput",
                      merged_on_demand(index.get("OnDemandThroughput"),
                                       action["OnDemandThroughput"]))
    if throughput is not None or action.get("WarmThroughput"):
        answer["WarmThroughput"] = table_schema.warm_description(
            target, answer["ProvisionedThroughput"], action.get("WarmThroughput"),
            index.get("WarmThroughput"))
    return answer


def _add_definitions(updated: Json, definitions: list[Json], key_schema: list[Json]) -> None:
    """A new index's key attributes join AttributeDefinitions; types already defined stay
    (a conflicting redefinition is ignored, ACK lab DDB-TABLE-162)."""
    known = {definition["AttributeName"] for definition in updated["AttributeDefinitions"]}
    keys = {element["AttributeName"] for element in key_schema}
    added = [d for d in definitions if d["AttributeName"] in keys - known]
    updated["AttributeDefinitions"] = table_schema.sorted_definitions(
        updated["AttributeDefinitions"] + added)


def _used_definitions(updated: Json) -> list[Json]:
    """Definitions no key schema uses any more are dropped (ACK lab DDB-TABLE-151)."""
    used = table_schema.key_attribute_names(updated)
    return [d for d in updated["AttributeDefinitions"] if d["AttributeName"] in used]


def _apply_table_class(updated: Json, table_class: str, now: float) -> None:
    """STANDARD on a table that never set a class changes nothing (ACK lab DDB-TABLE-283)."""
    if "TableClassSummary" not in updated and table_class == TABLE_CLASS_STANDARD:
        return
    updated["TableClassSummary"] = {"TableClass": table_class, "LastUpdateDateTime": now}


def _apply_stream(updated: Json, specification: Json, now: float) -> None:
    """Disabling drops StreamSpecification; the latest stream's label and ARN stay
    (ACK lab DDB-TABLE-050). Every enable starts a new stream."""
    if specification["StreamEnabled"]:
        updated.update(table_schema.stream_description(specification, updated["TableArn"], now))
    else:
        updated.pop("StreamSpecification", None)


def _apply_sse(updated: Json, specification: Json) -> None:
    if table_schema.sse_enabled(specification):
        updated["SSEDescription"] = table_schema.sse_description(
            specification, updated["TableArn"])
    else:
        updated.pop("SSEDescription", None)


def updating_reason(request: Json) -> str | None:
    """Why the table becomes UPDATING, or None when the change keeps it ACTIVE (deletion
    protection, encryption, on-demand/warm throughput and GSI updates do: ACK lab)."""
    if index_actions(request, "Create") or index_actions(request, "Delete"):
        return UPDATING_INDEXES
    if "StreamSpecification" in request:
        return UPDATING_STREAM
    if "ProvisionedThroughput" in request or "BillingMode" in request:
        return UPDATING_THROUGHPUT
    if "TableClass" in request:
        return UPDATING_OTHER
    return None


def deleted_indexes(description: Json, request: Json) -> list[Json]:
    """The indexes an update deletes, as its answer shows them (IndexStatus DELETING)."""
    names = {action["IndexName"] for action in index_actions(request, "Delete")}
    return [
        dict(index, IndexStatus="DELETING")
        for index in description.get("GlobalSecondaryIndexes", [])
        if index["IndexName"] in names
    ]


def provisioned_capacities(description: Json) -> list[tuple[str | None, Json]]:
    """(index name, or None for the table; its ReadCapacityUnits and WriteCapacityUnits) of
    a provisioned table and each of its GSIs; nothing for an on-demand table."""
    if table_schema.billing_mode_of(description) != BILLING_PROVISIONED:
        return []
    capacities: list[tuple[str | None, Json]] = [(None, description["ProvisionedThroughput"])]
    capacities += [
        (index["IndexName"], index["ProvisionedThroughput"])
        for index in description.get("GlobalSecondaryIndexes", [])
    ]
    return capacities
