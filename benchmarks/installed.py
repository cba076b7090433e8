"""kb run as an installed kb runs: from its compiled bytecode.

pip compiles a package's modules when it installs it, and Python keeps the bytecode of an
editable install the first time it imports it. Where ``PYTHONDONTWRITEBYTECODE`` is set (some
CI images and sandboxes set it), every kb process would compile its modules again: some 0.06 to
0.1 s of CPU that no user's command pays. The benchmarks unset it for the processes they start,
keep the bytecode under their data folder (``PYTHONPYCACHEPREFIX``, never in the checkout) and
compile kb there once before the first figure.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def bytecode(data: Path) -> str:
    """Set this process's environment (which the measured commands inherit) and compile kb; a
    line saying so, for the benchmark's output."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    prefix = os.environ.setdefault("PYTHONPYCACHEPREFIX", str(data / "pycache"))
    where = subprocess.run(
        [sys.executable, "-c", "import kb, os; print(os.path.dirname(kb.__file__))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    subprocess.run([sys.executable, "-m", "compileall", "-q", where], check=True)
    return f"kb's bytecode compiled under {prefix}, as an installed kb has it"
