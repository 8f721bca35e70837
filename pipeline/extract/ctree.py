"""The C walks (``_ctree.pyx``) when this install built them, else None: the Python walks run.

``pip install`` compiles them where a C compiler is (setup.py); ``ZWGK_PURE_PYTHON=1`` turns
them off. The Python functions are the definition: tests/extract/test_ctree.py runs both over
every saved real page and replica page and requires the same results.
"""

from __future__ import annotations

import os
from types import ModuleType

#: Set (to anything but "" or "0") to run the Python walks even where the C ones are built.
PURE_PYTHON_ENV = "ZWGK_PURE_PYTHON"


def load() -> ModuleType | None:
    """The compiled module, or None (not built here, or turned off)."""
    if os.environ.get(PURE_PYTHON_ENV, "") not in ("", "0"):
        return None
    try:
        from pipeline.extract import _ctree
    except ImportError:
        return None
    return _ctree
