"""The HTTP adapter: an ASGI application in front of ``dispatch.OPERATIONS``."""
