"""A spaced-repetition quiz in the terminal about low back pain, the spine and the hip."""
