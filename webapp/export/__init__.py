"""Anki decks from the database: the /anki page and downloads, and ``flask export-anki``."""
