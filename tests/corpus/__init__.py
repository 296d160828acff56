"""A corpus of report workbooks shaped like the ones regions send, each with the exact result the loader must give.

`cases.CASES` lists functions `case(folder) -> Case`: each writes one file into `folder` and returns what
`python -m loaders --json` must report for it and what must be stored. The expectations are computed here from
the values written into each file, never from loader code."""
