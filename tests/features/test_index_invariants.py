"""Hypothesis stateful test: for random interleavings of PutItem, UpdateItem, DeleteItem,
BatchWriteItem and refused writes, every index of the table equals the projection of the
table's items (sparse, KEYS_ONLY / INCLUDE / ALL), entry for entry, in index key order."""

from __future__ import annotations

import json
from typing import Any, ClassVar

import pytest
from botocore.exceptions import ClientError
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from index_fixtures import create_table, index, read_all

Item = dict[str, Any]

TABLE_KEYS = ("pk", "sk")
# name -> (partition key, sort key or None, projected attributes or None for ALL)
INDEXES: dict[str, tuple[str, str | None, tuple[str, ...] | None]] = {
    "g-r": ("g", "r", ("v",)),
    "g-only": ("g", None, ()),
    "w-all": ("w", None, None),
    "by-l": ("pk", "l", ()),
}

partition_keys = st.sampled_from(["a", "b", "c"])
sort_keys = st.integers(min_value=1, max_value=3)
attribute_values = {
    "g": st.sampled_from(["x", "y"]).map(lambda text: {"S": text}),
    "r": st.integers(min_value=-2, max_value=2).map(lambda number: {"N": str(number)}),
    "l": st.sampled_from(["m", "n", "o"]).map(lambda text: {"S": text}),
    "v": st.integers(min_value=0, max_value=9).map(lambda number: {"N": str(number)}),
    "w": st.sampled_from(["p", "q"]).map(lambda text: {"S": text}),
}
attributes = st.fixed_dictionaries({}, optional=attribute_values)


def key_of(pk: str, sk: int) -> Item:
    return {"pk": {"S": pk}, "sk": {"N": str(sk)}}


def entry(item: Item, name: str) -> Item | None:
    partition, sort, projected = INDEXES[name]
    if partition not in item or (sort is not None and sort not in item):
        return None
    if projected is None:
        return item
    kept = {*TABLE_KEYS, partition, *([sort] if sort else []), *projected}
    return {attribute: value for attribute, value in item.items() if attribute in kept}


def canonical(item: Item) -> str:
    return json.dumps(item, sort_keys=True)


def order_key(entry_item: Item, name: str) -> tuple[Any, ...]:
    """Index key order for one partition value: sort key, then the table key."""
    _, sort, _ = INDEXES[name]
    sort_value: Any = ()
    if sort is not None:
        value = entry_item[sort]
        sort_value = int(value["N"]) if "N" in value else value["S"]
    return (sort_value, entry_item["pk"]["S"], int(entry_item["sk"]["N"]))


class IndexMachine(RuleBasedStateMachine):
    dynamodb: ClassVar[Any]
    table: ClassVar[str]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, int], Item] = {}
        for found in read_all(self.dynamodb.scan, TableName=self.table):
            self.dynamodb.delete_item(TableName=self.table,
                                      Key={name: found[name] for name in TABLE_KEYS})

    @rule(pk=partition_keys, sk=sort_keys, values=attributes)
    def put(self, pk: str, sk: int, values: Item) -> None:
        item = {**key_of(pk, sk), **values}
        self.dynamodb.put_item(TableName=self.table, Item=item)
        self.items[(pk, sk)] = item

    @rule(pk=partition_keys, sk=sort_keys, values=attributes,
          removed=st.sets(st.sampled_from(sorted(attribute_values))))
    def update(self, pk: str, sk: int, values: Item, removed: set[str]) -> None:
        removed -= set(values)
        if not values and not removed:
            return
        names = {f"#{name}": name for name in [*values, *removed]}
        clauses = []
        if values:
            clauses.append("SET " + ", ".join(f"#{name} = :{name}" for name in values))
        if removed:
            clauses.append("REMOVE " + ", ".join(f"#{name}" for name in removed))
        request: dict[str, Any] = {"UpdateExpression": " ".join(clauses),
                                   "ExpressionAttributeNames": names}
        if values:
            request["ExpressionAttributeValues"] = {f":{k}": v for k, v in values.items()}
        self.dynamodb.update_item(TableName=self.table, Key=key_of(pk, sk), **request)
        item = {**self.items.get((pk, sk), key_of(pk, sk)), **values}
        self.items[(pk, sk)] = {k: v for k, v in item.items() if k not in removed}

    @rule(pk=partition_keys, sk=sort_keys)
    def delete(self, pk: str, sk: int) -> None:
        self.dynamodb.delete_item(TableName=self.table, Key=key_of(pk, sk))
        self.items.pop((pk, sk), None)

    @rule(puts=st.lists(st.tuples(partition_keys, sort_keys, attributes), max_size=3,
                        unique_by=lambda put: put[:2]),
          deletes=st.lists(st.tuples(partition_keys, sort_keys), max_size=2, unique=True))
    def batch(self, puts: list[tuple[str, int, Item]], deletes: list[tuple[str, int]]) -> None:
        deletes = [key for key in deletes if key not in {put[:2] for put in puts}]
        if not puts and not deletes:
            return
        requests: list[Item] = [{"PutRequest": {"Item": {**key_of(pk, sk), **values}}}
                                for pk, sk, values in puts]
        requests += [{"DeleteRequest": {"Key": key_of(pk, sk)}} for pk, sk in deletes]
        self.dynamodb.batch_write_item(RequestItems={self.table: requests})
        for pk, sk, values in puts:
            self.items[(pk, sk)] = {**key_of(pk, sk), **values}
        for key in deletes:
            self.items.pop(key, None)

    @rule(pk=partition_keys, sk=sort_keys, good=attributes)
    def refused(self, pk: str, sk: int, good: Item) -> None:
        """A write whose index key has the wrong type changes nothing."""
        item = {**key_of(pk, sk), **good, "g": {"N": "1"}}
        with pytest.raises(ClientError):
            self.dynamodb.put_item(TableName=self.table, Item=item)

    @invariant()
    def indexes_equal_the_projection_of_the_table(self) -> None:
        for name in INDEXES:
            found = read_all(self.dynamodb.scan, TableName=self.table, IndexName=name)
            expected = [e for e in (entry(item, name) for item in self.items.values()) if e]
            assert sorted(map(canonical, found)) == sorted(map(canonical, expected)), name

    @invariant()
    def index_queries_are_in_index_key_order(self) -> None:
        for value in ("x", "y"):
            found = read_all(self.dynamodb.query, TableName=self.table, IndexName="g-r",
                             KeyConditionExpression="g = :g",
                             ExpressionAttributeValues={":g": {"S": value}}, Limit=2)
            expected = sorted((e for e in (entry(item, "g-r") for item in self.items.values())
                               if e and e["g"]["S"] == value),
                              key=lambda e: order_key(e, "g-r"))
            assert found == expected


def test_indexes_equal_the_projection_of_the_table(dynamodb: Any, table_name: str) -> None:
    create_table(dynamodb, table_name, {"pk": "S", "sk": "N", "g": "S", "r": "N", "l": "S",
                                        "w": "S"},
                 GlobalSecondaryIndexes=[
                     index("g-r", "g", "r", projection_type="INCLUDE", non_key=["v"]),
                     index("g-only", "g", projection_type="KEYS_ONLY"),
                     index("w-all", "w"),
                 ],
                 LocalSecondaryIndexes=[index("by-l", "pk", "l", projection_type="KEYS_ONLY")])
    IndexMachine.dynamodb = dynamodb
    IndexMachine.table = table_name
    try:
        run_state_machine_as_test(
            IndexMachine,
            settings=settings(max_examples=15, stateful_step_count=20, deadline=None),
        )
    finally:
        dynamodb.delete_table(TableName=table_name)
