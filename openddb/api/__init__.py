"""Operation handlers: ``handler(ctx, request) -> response``, one module per family."""
