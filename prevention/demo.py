"""python -m prevention.demo: the demo data (prevention.cli.demo; the data itself is prevention.usecases.demo)."""
import sys

from prevention.cli.demo import main

if __name__ == "__main__":
    sys.exit(main())
