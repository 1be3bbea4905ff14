"""`python -m quiz` runs the `quiz` command."""
from quiz.cli import main

main(prog_name="quiz")
