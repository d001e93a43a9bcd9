"""Data files shipped with archivetool (read through importlib.resources)."""
