"""reader: read Arabic news in the terminal, tag passages by theme, export the tags.

The package is split in two: a pure core (``corpus``, ``layout``, ``arabic``,
``store``, ``export``, ``suggest``) that never imports Textual, and the
user interface in ``reader.ui`` that stands on it.
"""

__version__ = "0.1.0"
