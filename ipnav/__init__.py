"""ipnav: an open IP big-data platform that runs on one machine.

Importing this package has no side effects: no files, no log handlers.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
