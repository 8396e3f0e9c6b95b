"""One family of errors: every problem greendc reports to a user is a :class:`GreendcError`.

Messages name the field (or column), the bad value and what is allowed, so that a command-line user can
fix the input without reading a traceback.
"""

from __future__ import annotations


class GreendcError(Exception):
    """Base class of all errors raised by greendc on bad input or impossible requests."""


class ScenarioError(GreendcError):
    """A scenario file or object is invalid (unknown key, wrong type, value out of range)."""


class WeatherDataError(GreendcError):
    """A weather table is malformed: missing column, gap, NaN, value outside its physical range."""


class DataFileError(GreendcError):
    """A data file (costs table, turbine power curve, climatology table, profiles) is malformed."""


class InfeasibleDesignError(GreendcError):
    """No design satisfies the rules; ``diagnosis`` says which rule, when and by how much.

    Parameters
    ----------
    message : str
        Summary for the user.
    diagnosis : list of str, optional
        One line per violated rule, in the user's terms.
    """

    def __init__(self, message: str, diagnosis: list[str] | None = None) -> None:
        self.diagnosis = list(diagnosis or [])
        text = message if not self.diagnosis else message + "\n" + "\n".join(f"  - {d}" for d in self.diagnosis)
        super().__init__(text)
