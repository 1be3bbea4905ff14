"""The user's guide (Markdown), installed as package data so `quiz help TOPIC` works from any install."""
