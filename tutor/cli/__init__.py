"""The ``tutor`` command: a thin shell over :class:`tutor.workspace.Workspace`.

One module per command group; each registers its commands on ``app``. Only the module of
the command being run is imported (``tutor ingest`` never loads the question bank or the
eval harness); help, and a name that is not a command, load them all.
"""

from __future__ import annotations

import os
import sys

import typer

from tutor.errors import TutorError

app = typer.Typer(
    name="tutor",
    help="A terminal study tutor: cited answers from your notes, exam-style questions, offline evals.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    home: str = typer.Option(None, "--home", help="Data directory (default: $TUTOR_HOME or the platform's user data dir)."),
) -> None:
    if home:
        os.environ["TUTOR_HOME"] = home
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())


# Command name -> the module of this package that registers it (a test checks it is complete).
COMMAND_MODULES: dict[str, str] = {
    "ask": "ask",
    "sessions": "ask",
    "export": "ask",
    "models": "ask",
    "chat": "chat",
    "eval": "eval",
    "ingest": "ingest",
    "generate": "questions",
    "quiz": "questions",
    "exam": "questions",
    "export-anki": "questions",
    "bank": "questions",
    "search": "search",
    "status": "status",
}


def _register(argv: list[str] | None = None) -> None:
    """Import the module of the command named in ``argv``, or every module when none is named."""
    import importlib
    import pkgutil

    name = _command_name(argv or [])
    modules = [COMMAND_MODULES[name]] if name in COMMAND_MODULES else [m.name for m in pkgutil.iter_modules(__path__)]
    for module in modules:
        importlib.import_module(f"{__name__}.{module}")


def _command_name(argv: list[str]) -> str | None:
    """The first word that is not a root option (``--home DIR`` takes a value)."""
    words = iter(argv)
    for word in words:
        if word == "--home":
            next(words, None)
        elif not word.startswith("-"):
            return word
        elif word in ("--help", "-h"):
            return None
    return None


def main() -> None:
    """Console entry point: user errors are one line on stderr, never a traceback."""
    _register(sys.argv[1:])
    try:
        code = app(standalone_mode=False)  # returns the code of a typer.Exit in this mode
    except TutorError as exc:
        typer.secho(f"error: {exc}", fg="red", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.secho("interrupted: work already committed is kept; run the command again to resume", err=True)
        sys.exit(130)
    except typer.Abort:
        sys.exit(130)
    except typer.TyperException as exc:  # usage errors (typos, missing or bad arguments) in standalone_mode=False
        show = getattr(exc, "show", None)  # typer's vendored click exceptions can print their usage
        if show is not None:
            show()
        else:
            typer.secho(f"error: {exc.format_message()}", fg="red", err=True)
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)
