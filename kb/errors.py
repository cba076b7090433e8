"""The one base of every problem a user can fix: a bad option, a missing record, a file kb may not
write. The command line catches it once, prints ``kb: error: MESSAGE`` and exits 2; anything
else that escapes is a bug in kb (exit 70)."""

from __future__ import annotations

EXIT_PROBLEMS = 1  # `kb check` found problems
EXIT_USAGE = 2
EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug in kb, not in the records


class KBError(Exception):
    """A problem the user can fix, said in one line."""

    exit_code = EXIT_USAGE
