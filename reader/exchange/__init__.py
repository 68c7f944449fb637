"""Exchange with other tools: REFI-QDA (qdpx), brat, CoNLL/BIO, doccano, Label Studio.

Writers (``write(data, out, tick=None) -> list[str]``, the list being one-line
warnings about passages left out) for the text formats — :mod:`conll`,
:mod:`doccano`, :mod:`labelstudio` — and builders of a file set for the others:
:mod:`qdpx_out` (a zip) and :mod:`brat_out` (a folder). Readers —
:mod:`qdpx_in`, :mod:`brat_in` — turn another tool's project into a
:class:`reader.exchange.foreign.Foreign` bundle (sources, themes, annotations,
what did not map), which :mod:`reader.exchange.foreign` applies to a store all
or nothing. Pure logic: no Textual here.
"""
