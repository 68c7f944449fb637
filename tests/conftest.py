"""Suite-wide settings.

Hypothesis explores new random examples on a developer's machine (that is how it
finds bugs), but in CI (``CI`` set, as ``.ci/run`` runs) it is derandomised: the
same examples every run, so a landing is never decided by the dice. A failure found
locally is kept as an ``@example`` on its test.

Subprocesses (``python -m reader``) must run the code of this checkout, not whatever
an editable install points at, so the checkout goes first on ``PYTHONPATH``.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import settings

_ROOT = str(Path(__file__).resolve().parent.parent)
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (_ROOT, os.environ.get("PYTHONPATH", "")) if p
)

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
