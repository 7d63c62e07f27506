"""The instructor area: bank list, editing, life cycle, import, export, statistics."""
