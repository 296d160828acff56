"""Loading a file in the reader's tests the way the command line does: through the load use case (the one way a
batch is stored), as the CLI's user. Returns an object with the FileReport as `.report`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from loaders.options import ParseOptions
from loaders.report import FileReport


@dataclass
class Loaded:
    report: FileReport


def load(con, source, name: str | None = None, *, today: date | None = None, options: ParseOptions | None = None,
         dry_run: bool = False, loaded_by: str | None = None, uploads_dir: Path | None = None) -> Loaded:
    """Read `source` (a path or bytes) and store it in `con` through prevention.usecases.load.load_file."""
    from prevention.usecases.load import load_file
    from prevention.usecases.rights import cli_actor

    if isinstance(source, (bytes, bytearray)):
        data, name = bytes(source), name or "file.xlsx"
    else:
        data, name = Path(source).read_bytes(), name or Path(source).name
    return Loaded(load_file(con, data, name, cli_actor(loaded_by or "tester"), options=options or ParseOptions(),
                            dry_run=dry_run, today=today, uploads_dir=uploads_dir))
