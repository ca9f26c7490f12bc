"""python -m storyline: the same as the storyline command."""

from .cli import main

if __name__ == "__main__":
    main()
