"""Storage engines behind one interface (``engine.py``)."""
