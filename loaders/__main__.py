"""python -m loaders: the command line's load, a thin entry to prevention.cli.load (the load use case stores)."""
import sys


def main(argv: list[str] | None = None) -> int:
    from prevention.cli.load import main as load

    return load(argv)


if __name__ == "__main__":
    from loaders import sandbox

    sandbox.warm_up()  # first: the reading worker loads the reader while this process loads the rest
    sys.exit(main())
