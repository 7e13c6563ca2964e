"""PartiQL for DynamoDB: the statement language of ExecuteStatement, BatchExecuteStatement
and ExecuteTransaction.

A statement goes ``tokens.tokenize`` -> ``parser.parse`` (a statement tree, ``ast.py``)
-> ``translate`` (parameters bound, values checked, the table's key schema applied) ->
requests of the JSON API (GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan,
TransactGetItems, TransactWriteItems), which ``openddb/api/partiql.py`` runs through
``server.dispatch.call``: PartiQL enters at the same internals as the JSON API, never at
HTTP, so conditions, capacity, throttling, streams and indexes behave the same.
"""
