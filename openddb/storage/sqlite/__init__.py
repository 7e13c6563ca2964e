"""The default storage engine: embedded SQLite (see ``engine.py``)."""
