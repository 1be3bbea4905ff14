"""The decks that ship with quiz (YAML), installed as package data."""
