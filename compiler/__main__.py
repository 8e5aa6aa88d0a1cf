"""`python -m compiler` runs the planc command line."""

from .cli import main

main()
