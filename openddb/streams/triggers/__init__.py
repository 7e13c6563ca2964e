"""Triggers: deliver a table's stream records to handlers, the way a Lambda event source
mapping does (Lambda Developer Guide "Using AWS Lambda with Amazon DynamoDB").

- ``config.py``: the trigger definitions (``--triggers FILE``, ``--trigger TABLE=FUNCTION``)
  with Lambda's parameter names: BatchSize, MaximumBatchingWindowInSeconds,
  StartingPosition, FilterCriteria, MaximumRetryAttempts, BisectBatchOnFunctionError,
  FunctionResponseTypes (ReportBatchItemFailures), DestinationConfig.OnFailure.
- ``filters.py``: Lambda event-filtering patterns, matched against each record.
- ``targets.py``: the function: a Python callable ``module:function`` called like a Lambda
  handler ``(event, context)``, or an HTTP URL that receives the event as a POST.
- ``destinations.py``: the on-failure destination (a file or a URL) for discarded batches.
- ``runner.py``: one thread per trigger that follows shard lineage, batches, invokes,
  retries, bisects, and keeps a durable checkpoint per shard in storage, so a restart
  resumes after the last acknowledged batch.
"""
