"""One pipeline for DynamoDB's five expression kinds and the legacy parameters.

text --tokens.py--> tokens --parser.py--> tree (ast.py, cached by cache.py)
     --resolve.py (#names, :values, request checks)--> resolved tree
     --> evaluate.py (conditions, filters, projections) / update.py (updates)
Expected, AttributeUpdates, AttributesToGet, *Filter --legacy.py--> resolved tree
KeyConditionExpression / KeyConditions --key_condition.py--> KeyCondition
"""
