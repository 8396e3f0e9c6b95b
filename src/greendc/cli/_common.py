"""What every command shares: the console, error handling, scenario option."""

from __future__ import annotations

import functools
import inspect
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

from greendc.errors import GreendcError

if TYPE_CHECKING:
    from rich.console import Console
    from typer._click import Context, HelpFormatter  # the click that typer vendors


class _LazyConsole:
    """A :class:`rich.console.Console` made on first use, so that ``greendc --help`` does not import rich."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    def _real(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real(), name)

    # dunder methods are looked up on the type, not through __getattr__ (rich's Live does ``with console``)
    def __enter__(self) -> Console:
        return self._real().__enter__()

    def __exit__(self, *exc: object) -> None:
        self._real().__exit__(*exc)  # type: ignore[arg-type]


console: Console = _LazyConsole()  # type: ignore[assignment]
err_console: Console = _LazyConsole(stderr=True)  # type: ignore[assignment]

#: Width of the help when no terminal tells its own (help piped or written to a file) [columns].
HELP_WIDTH_NO_TERMINAL = 120


def help_width() -> int:
    """Columns of the help text: ``COLUMNS`` if set, else the terminal's (stdout, stderr or stdin), else
    :data:`HELP_WIDTH_NO_TERMINAL`."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    for fd in (1, 2, 0):
        try:
            width = os.get_terminal_size(fd).columns
        except (OSError, ValueError):
            continue
        if width > 0:
            return width
    return HELP_WIDTH_NO_TERMINAL


#: Context settings of the ``greendc`` command (its sub-commands inherit them): ``-h`` as well as ``--help``.
CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"]}


class HelpGroup(TyperGroup):
    """A command group whose help wraps to the terminal (:func:`help_width`; click alone stops at 80
    columns) and lists each command with the first paragraph of its docstring, re-wrapped.

    The help is click's plain text (the app sets ``rich_markup_mode=None``): typer's rich help imports
    rich's Markdown renderer, which alone costs more than the rest of ``greendc --help``.
    """

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        formatter.width = help_width()
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and command.short_help is None and command.help:
                command.short_help = " ".join(inspect.cleandoc(command.help).split("\n\n")[0].split())
        super().format_help(ctx, formatter)


class HelpCommand(TyperCommand):
    """A command whose help wraps to the terminal (:func:`help_width`)."""

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        formatter.width = help_width()
        super().format_help(ctx, formatter)


F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """Turn a :class:`GreendcError` into a red message on stderr and exit code 2 (no traceback)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except GreendcError as err:
            err_console.print(f"[bold red]error:[/] {type(err).__name__}: {err}", highlight=False, soft_wrap=True)
            raise typer.Exit(code=2) from None

    return wrapper  # type: ignore[return-value]
