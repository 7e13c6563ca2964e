"""Secondary indexes: maintenance on every write, online creation and deletion.

- ``maintenance.py``: :func:`~openddb.indexes.maintenance.maintain_indexes`, called by the
  single write path (``api/changes.write_change``) for every item change;
- ``lifecycle.py``: index numbers, GSI creation (backfill) and deletion as resumable
  jobs in the database, one bounded step per write transaction;
- ``workers.py``: the background thread that runs those steps.

The pure rules (index keys, projections, read costs) are in ``model/index.py``; storage
in ``storage/sqlite/indexes.py``; reads of indexes in ``api/query_scan.py``.
"""
