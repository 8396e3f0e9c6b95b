"""One family of errors: every problem greendc reports to a user is a :class:`GreendcError`.

Messages name the field (or column), the bad value and what is allowed, so that a command-line user can
fix the input without reading a traceback.
"""

from __future__ import annotations

from enum import Enum

__all__ = [
    "AuthError",
    "DataFileError",
    "EdgeError",
    "GreendcError",
    "InfeasibleDesignError",
    "IngestError",
    "PlanSolveError",
    "QueryError",
    "ScenarioError",
    "ServiceError",
    "TelemetryError",
    "WeatherDataError",
]


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


class PlanSolveError(GreendcError):
    """The solver stopped without a design (time limit, numerical trouble); ``status`` says why (a
    :class:`greendc.plan.solve.SolveStatus`)."""

    def __init__(self, message: str, status: Enum) -> None:
        self.status = status
        super().__init__(message)


class TelemetryError(DataFileError):
    """A telemetry table or file is malformed: missing or unknown column, negative power, NaN, bad time."""


class ServiceError(GreendcError):
    """The service cannot start or a request to it failed: bad settings, unreachable database or server.

    ``status`` is the HTTP status the service answers with when the error comes from a request.
    """

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


class EdgeError(ServiceError):
    """A request parameter that the service refuses before doing any work (HTTP 422)."""


class AuthError(ServiceError):
    """A request without a valid token (``status`` 401) or with a role too weak for it (``status`` 403)."""


class QueryError(ServiceError):
    """A query that cannot be answered; ``status`` is the HTTP status (404, 409, 413 or 422)."""


class IngestError(ServiceError):
    """A batch that is refused as a whole; ``status`` is the HTTP status (413, 409 or 422)."""
