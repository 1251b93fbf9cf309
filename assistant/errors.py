"""Errors a person can act on: each message says what happened and what to do next."""

from __future__ import annotations


class SignpostError(Exception):
    """Base class; the CLI and the UI show `str(error)` to the person."""

    exit_code = 1


class ConfigError(SignpostError):
    """A setting is missing or malformed."""

    exit_code = 2


class IndexMissingError(SignpostError):
    """No index has been built yet at the configured place."""

    exit_code = 3


class StoreUnavailableError(SignpostError):
    """The Chroma server (or the local index folder) could not be reached or opened."""

    exit_code = 4


class IndexBusyError(SignpostError):
    """Another process is writing to the same index; this one waited and gave up."""

    exit_code = 5


class IndexIncompleteError(SignpostError):
    """The last ingest into this index did not finish; the message says how to finish it."""

    exit_code = 3


class DocumentError(SignpostError):
    """One input document could not be read; the rest of an ingest goes on."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class CorpusError(SignpostError):
    """The shipped corpus or its signposts data is malformed."""


class ModelUnavailableError(SignpostError):
    """The embedding model could not be loaded or exported (a broken install or an unwritable folder)."""


class EmptyQuestionError(SignpostError):
    """The message had no words to answer (empty, only spaces, or only markup)."""

    exit_code = 2
