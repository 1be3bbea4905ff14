"""`python -m quiz` runs the `quiz` command."""
from quiz.launch import main

main()
