from __future__ import annotations

from archivetool.cli import main

if __name__ == "__main__":
    main()
