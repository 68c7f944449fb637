"""Widgets of the app, one per module; they post messages up and never touch the store."""
