"""The `kb` command line: parses options and calls the core. Heavy modules load inside commands."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from kb import __version__
from kb.errors import EXIT_INTERNAL, EXIT_PROBLEMS, EXIT_USAGE, KBError


class Context:
    def __init__(self, kb_dir: str | None, debug: bool, no_cache: bool = False):
        self.kb_dir = kb_dir
        self.debug = debug
        self.no_cache = no_cache
        self._root: Path | None = None
        self._said: set[str] = set()

    @property
    def root(self):
        from kb.store.files import find_root

        if self._root is None:
            self._root = find_root(explicit=self.kb_dir)
        return self._root

    def load(self, warn_unreadable: bool = True, listing=None, meetings: set[str] | None = None):
        """The knowledge base. Files that fail to read or validate are left out of it; every
        command but `kb check` (which reports them in full) says so once on standard error.

        Those commands also fail closed: with a kb.yaml that cannot be read or fails its schema,
        its default_sensitivity and brief_audience are unknown, and no record content is shown.
        Trouble with the cache is said by every command, `kb check` too (warn_cache)."""
        from kb.model.findings import ERROR
        from kb.store.loader import load

        kb = load(self.root, use_cache=not self.no_cache, listing=listing, meetings=meetings)
        keep(kb)
        if warn_unreadable and kb.config_problems:
            from kb.store.loader import config_refusal

            raise KBError(config_refusal(kb.config_problems))
        self.warn_cache(kb.cache_notes)
        broken = sorted({f.path for f in kb.load_findings if f.severity == ERROR})
        if warn_unreadable:
            self.warn_left_out(broken)
        return kb

    def warn_left_out(self, broken: list[str]) -> None:
        """The one way every command says that files it could not read are left out (``broken``:
        their paths, sorted): one line on standard error, once a run."""
        if not broken or "left out" in self._said:
            return
        from kb.model.text import plural

        self._said.add("left out")
        click.echo(
            f"kb: warning: {plural(len(broken), 'file')} could not be read and "
            f"{'is' if len(broken) == 1 else 'are'} left out (first: {one_line(broken[0])}); run `kb check` for details",
            err=True,
        )

    def warn_cache(self, notes: list[str] | None = None) -> None:
        """The one way every command says what is wrong with kb's cache: a line ``kb: warning:``
        on standard error for each note, each once a run. ``notes``: a loaded knowledge base's
        ``cache_notes``; None for a command that reads the cache without loading (`kb search`,
        `kb fmt`): the cache folder's own trouble (kb.store.cache.folder_note)."""
        if notes is None:
            from kb.store.cache import folder_note

            notes = [note for note in (folder_note(self.root),) if note]
        for note in notes:
            if note not in self._said:
                self._said.add(note)
                click.echo(f"kb: warning: {one_line(note)}", err=True)


def one_line(text: str) -> str:
    """``text`` for one line of standard error: control characters (a newline too, which could
    forge a line of its own) and bidirectional formatting shown as escapes (\\x1b, \\n)."""
    from kb.rendering.output import terminal_safe

    return terminal_safe(text).replace("\n", "\\n")


# Command name -> "module:function". Modules load only when their command runs, so that
# `kb --version` and `kb --help` stay fast.
COMMANDS = {
    "brief": "kb.cli.brief:brief",
    "check": "kb.cli.check:check",
    "decide": "kb.cli.decide:decide",
    "dedupe": "kb.cli.dedupe:dedupe",
    "diff": "kb.cli.diff:diff",
    "due": "kb.cli.due:due",
    "export": "kb.cli.export:export",
    "fmt": "kb.cli.fmt:fmt",
    "import": "kb.cli.import_:import_",
    "init": "kb.cli.init:init",
    "list": "kb.cli.list:list_records",
    "merge": "kb.cli.merge:merge",
    "new": "kb.cli.new:new",
    "schema": "kb.cli.schema:schema",
    "search": "kb.cli.search:search",
    "show": "kb.cli.show:show",
    "site": "kb.cli.site:site",
    "sources": "kb.cli.sources:sources",
    "timeline": "kb.cli.timeline:timeline",
    "update": "kb.cli.update:update",
}


class _Shown(click.ClickException):
    """A KBError on its way out through click: one line on standard error, its exit code."""

    def __init__(self, error: KBError):
        super().__init__(str(error))
        self.exit_code = error.exit_code  # type: ignore[misc]  # click declares a class default

    def show(self, file=None):
        from kb.rendering.output import terminal_safe

        click.echo(f"kb: error: {terminal_safe(self.format_message())}", err=True)


class LazyGroup(click.Group):
    def invoke(self, ctx):
        # The one place a user's error becomes output: every layer below raises KBError.
        try:
            return super().invoke(ctx)
        except KBError as error:
            raise _Shown(error) from None

    def parse_args(self, ctx, args):
        # No shell can pass a NUL, but a caller in Python can: refuse it before any path is made of it.
        if any("\x00" in arg for arg in args):
            raise _Shown(KBError("an argument holds a NUL character (\\x00): remove it"))
        return super().parse_args(ctx, args)

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def resolve_command(self, ctx, args):
        # A mistyped command gets a "did you mean" (`kb brif` -> brief), not only "No such command".
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            from kb.model.text import did_you_mean

            guess = did_you_mean(name, COMMANDS)
            hint = f" Did you mean '{guess}'?" if guess else ""
            raise KBError(f"no such command '{name}'.{hint} Commands: {', '.join(sorted(COMMANDS))}.")
        return super().resolve_command(ctx, args)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        import importlib

        module, _, attribute = COMMANDS[name].partition(":")
        return getattr(importlib.import_module(module), attribute)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="kb", message="%(prog)s %(version)s")
@click.option(
    "--kb",
    "kb_dir",
    envvar="KB_DIR",
    metavar="DIR",
    help="The knowledge base (default: the nearest folder upwards holding kb.yaml). Env: KB_DIR.",
)
@click.option("--debug", is_flag=True, help="Show the full traceback of an unexpected error.")
@click.option(
    "--no-cache",
    is_flag=True,
    envvar="KB_NO_CACHE",
    help="Read every file again instead of using the cache in .kb-cache/. Env: KB_NO_CACHE=1.",
)
@click.pass_context
def cli(ctx: click.Context, kb_dir: str | None, debug: bool, no_cache: bool) -> None:
    """kb: a knowledge base of diplomatic meetings, kept as YAML records in git.

    Check the records, then brief yourself before a meeting:

    \b
      kb check
      kb brief donald-blome
    """
    ctx.obj = Context(kb_dir, debug, no_cache)


# The knowledge bases (and other large objects) this process made, kept to its end when it is the
# `kb` command (see main).
_LOADED: list | None = None


def keep(large: object) -> None:
    """Keep a large object (a knowledge base, a comparison of two) to the end of the run when it
    is the `kb` command, which then leaves without freeing it (see main)."""
    if _LOADED is not None:
        _LOADED.append(large)


def main(argv: list[str] | None = None) -> None:
    """Entry point: no traceback for the user, one clear line and a distinct exit code instead.

    Run as the `kb` command (no ``argv``), a run that loaded a knowledge base keeps it to the end
    and leaves by os._exit once its output is flushed: freeing a large model object by object
    takes longer than the system takes to reclaim the whole process (some 35 ms of a 0.5 s run at
    10,000 meetings). Called with ``argv`` (tests, other programs) it returns or raises as usual."""
    global _LOADED
    if argv is not None:
        _run(argv)
        return
    _LOADED = []
    try:
        _run(argv)
        code: str | int | None = 0
    except SystemExit as done:
        if not _LOADED:
            raise
        code = done.code
    if not _LOADED:
        return
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away, or a stream already closed
            code = code or EXIT_PROBLEMS
    os._exit(code)


def _run(argv: list[str] | None) -> None:
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        cli.main(args=argv, prog_name="kb", standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(EXIT_PROBLEMS)
    except SystemExit:
        raise
    except OSError as error:
        from kb.errors import environment_problem

        problem = environment_problem(error)
        if problem is None or debug:
            raise
        click.echo(f"kb: error: {problem}", err=True)
        sys.exit(problem.exit_code)
    except Exception as error:  # the last line of defence: a bug must not dump a traceback on users
        if debug:
            raise
        click.echo(f"kb: internal error: {type(error).__name__}: {error}", err=True)
        click.echo(
            "This is a bug in kb, not in your records. Re-run with --debug to see the traceback, and report it.",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
