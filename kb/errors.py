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


class EnvironmentProblem(KBError):
    """The machine, not the records or the options: a full disk, a folder kb may not write, a file
    name the system finds too long. Exit 1, as for problems found."""

    exit_code = EXIT_PROBLEMS


# OSError numbers that are the environment's doing (said as EnvironmentProblem, never a kb bug).
ENVIRONMENT_ERRNOS = frozenset(
    {
        "ENOSPC",
        "EDQUOT",
        "EACCES",
        "EPERM",
        "EROFS",
        "ENAMETOOLONG",
        "EIO",
        "EMFILE",
        "ENFILE",
        "ETXTBSY",
        "EISDIR",
        "ENOTDIR",
        "ELOOP",
        "EFBIG",
    }
)


def environment_problem(error: OSError) -> EnvironmentProblem | None:
    """The OSError said for a user, when it is one of ENVIRONMENT_ERRNOS."""
    import errno

    if errno.errorcode.get(error.errno or 0) not in ENVIRONMENT_ERRNOS:
        return None
    where = f"{error.filename}: " if error.filename else ""
    return EnvironmentProblem(f"{where}{error.strerror or error}")
