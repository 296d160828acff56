"""Why a whole file could not be read. Row-level problems are values (see report.py), not exceptions."""


class LoaderError(Exception):
    "A file could not be ingested; the message is meant for the person who uploaded it."
    code = "failed"


class NotASpreadsheet(LoaderError):
    "The bytes are not an xlsx, xlsm, xls, ods or csv file."
    code = "not-a-spreadsheet"


class CorruptFile(LoaderError):
    "The file is damaged or truncated."
    code = "corrupt-file"


class PasswordProtected(LoaderError):
    "The workbook is encrypted with a password."
    code = "password-protected"


class TooLarge(LoaderError):
    "The file, its decompressed contents or a sheet's dimensions exceed the limits."
    code = "too-large"


class EmptyFile(LoaderError):
    "The file has no data."
    code = "empty-file"


class NoColumnsRecognised(LoaderError):
    "No sheet has the columns of an activity report."
    code = "no-columns-recognised"
