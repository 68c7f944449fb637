"""The layout engine: UAX #9, shaping, wrapping and cell maps (pure, no Textual)."""
