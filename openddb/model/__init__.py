"""DynamoDB values and rules, without I/O."""
