"""Subcommands of `quiz`, one module per group (each registered in quiz.cli)."""
