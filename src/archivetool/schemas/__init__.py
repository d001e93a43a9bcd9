"""The JSON Schemas (Draft 2020-12) every record is validated against before it is stored."""
