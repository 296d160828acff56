"""python -m loaders: the command line's load, a thin entry to prevention.cli.load (the load use case stores)."""
import sys

from prevention.cli.load import main

if __name__ == "__main__":
    sys.exit(main())
