"""One error hierarchy for the whole bot.

Every error the bot can explain derives from `PracticeError` and carries a message written for
the person who reads it. `UserError`s answer what someone typed in a chat or a console (nothing
was changed); `OperatorError`s stop a command or start-up and name what the operator must fix.
The command line and each adapter catch them once, at their edge: anything else is a bug.
"""

from __future__ import annotations


class PracticeError(Exception):
    """Base class: anything the bot can explain to a user or operator."""


class UserError(PracticeError):
    """Something a person asked for cannot be done; nothing stored changed."""


class InputError(UserError):
    """Bad input (a time, a timezone, a pack name...). Nothing was changed."""


class NotAllowedError(UserError):
    """The caller may not do this (e.g. a non-admin running an admin command)."""


class NotFoundError(UserError):
    """The thing asked about does not exist (no subscription, no open round...)."""


class OperatorError(PracticeError):
    """The bot cannot run or a command cannot finish until the operator fixes something."""


class ConfigurationError(OperatorError):
    """A setting (environment variable, .env value or flag) is missing or invalid."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"Configuration problem{'s' if len(problems) != 1 else ''}:\n{lines}")


class DatabaseError(OperatorError):
    """The database cannot be opened or used (not a database, not found, not writable)."""


class SchemaTooNewError(DatabaseError):
    """The database was migrated by a newer practicebot."""


class DatabaseInUseError(DatabaseError):
    """Another bot process holds the database."""


class GraderUnavailable(OperatorError):
    """The feedback grader asked for cannot run here (its extra is not installed)."""


class TokenRejectedError(OperatorError):
    """A platform refused the bot's credentials."""


class PlatformUnreachableError(OperatorError):
    """A platform could not be reached at start-up (network, DNS, proxy)."""
