"""The Textual application: the library, the reader, and their widgets.

Import :func:`reader.ui.app.make_app` to build the app; nothing here is imported
by the pure core, so ``reader show`` and friends never load Textual.
"""
