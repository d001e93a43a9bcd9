"""archivetool: structured records from FRUS documents and CEEOL bibliographic records.

The command line is a view of this library::

    import archivetool as at

    with at.open_archive("archive.sqlite") as archive:
        at.ingest(archive, ["sources/"])
        hits = at.search(archive, "Mihailović")

See :mod:`archivetool.api` for every function. The names load on first use, so that
``import archivetool`` (and ``archivetool --version``) stays cheap.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Extracted", "Extraction", "Threads", "cite", "copy", "decode", "export",
           "extract", "get", "ingest", "iter_records", "list_json", "list_records",
           "open_archive", "persons", "read", "refs", "revisions", "schema", "search",
           "stats", "validate", "who", "__version__"]  # fmt: skip

if TYPE_CHECKING:
    from archivetool.api import (
        Extracted,
        Extraction,
        Threads,
        cite,
        copy,
        decode,
        export,
        extract,
        get,
        ingest,
        iter_records,
        list_json,
        list_records,
        open_archive,
        persons,
        read,
        refs,
        revisions,
        schema,
        search,
        stats,
        validate,
        who,
    )


def __getattr__(name: str) -> Any:
    if name in __all__ and name != "__version__":
        from archivetool import api

        value = getattr(api, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'archivetool' has no attribute {name!r}")


class _Package(types.ModuleType):
    """``archivetool.search`` and ``archivetool.ingest`` are functions of the API and also
    the names of modules: importing such a module must not replace the function on the
    package (``from archivetool.search import …`` reads the module from sys.modules)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in __all__ and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
