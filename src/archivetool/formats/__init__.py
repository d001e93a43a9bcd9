"""One parsing module per kind of source. Each exposes ``parse(text) -> Parsed``."""
