"""Time to Live: expired items are deleted in the background, as DynamoDB does.

::

    UpdateTimeToLive / DescribeTimeToLive  (api/ttl.py)
        └> specification.py: ENABLING -> ENABLED, DISABLING -> DISABLED on the clock, the
           service's refusals; kept in the table's catalog row
    sweeper.py: background thread, every --ttl-interval (or when woken)
        └> sweep.py: per table with TTL ENABLED, pages of items in Scan order; the expired
           ones (expiry.py) deleted in small transactions, claimed through the ttl_sweeps row
           └> api/changes.write_change(..., user_identity="dynamodb.amazonaws.com"): base
              row, index rows and a REMOVE stream record with the service's userIdentity
    on_read.py: --ttl-delete-on-read, expired items vanish when touched

Expired items stay readable until swept, as on DynamoDB (Developer Guide "How it works:
Time to Live"; behaviours.md section 6). All times come from the server clock, so with
``--clock virtual`` a test moves the clock (admin endpoint, ``openddb.admin``) and sweeps.
"""
