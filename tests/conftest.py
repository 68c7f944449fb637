"""Suite-wide settings.

Hypothesis explores new random examples on a developer's machine (that is how it
finds bugs), but in CI (``CI`` set, as ``.ci/run`` runs) it is derandomised: the
same examples every run, so a landing is never decided by the dice. A failure found
locally is kept as an ``@example`` on its test.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
