"""Make a new, empty knowledge base, ready for git, pre-commit and GitHub Actions.

Nothing that already exists is overwritten: an existing knowledge base is refused, and helper
files a repository already has (a .pre-commit-config.yaml, a workflow) are left alone and named.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kb import DISTRIBUTION, __version__
from kb.errors import KBError
from kb.model.records import FOLDERS, SENSITIVITY_ORDER
from kb.store import atomic, schemas, yamlstyle
from kb.store.files import CONFIG_FILE, TOPICS_FILE

GITIGNORE_LINE = ".kb-cache/"
PRE_COMMIT_FILE = ".pre-commit-config.yaml"
WORKFLOW_FILE = ".github/workflows/kb.yml"


class AlreadyAKnowledgeBase(KBError):
    pass


@dataclass
class Created:
    path: str  # relative to the new knowledge base
    action: str  # "created", "appended to", "kept (already there)"


def _skeleton(name: str) -> str:
    return resources.files("kb.skeleton").joinpath(name).read_text("utf-8")


def config_text(name: str, our_side: str, sensitivity: str) -> str:
    return (
        f"# yaml-language-server: $schema={schemas.SCHEMA_FOLDER}/config.schema.json\n"
        f"name: {yamlstyle.scalar(name)}\n"
        f"our_side: {our_side}  # the country whose side this knowledge base keeps (ISO 3166)\n"
        f"default_sensitivity: {sensitivity}  # TLP 2.0 marking of content that carries none\n"
    )


def pre_commit_text(hooks_repo: str | None, hooks_rev: str | None) -> str:
    if not hooks_repo:
        return _skeleton("pre-commit-local.yaml")
    return (
        _skeleton("pre-commit-remote.yaml")
        .replace("@HOOKS_REPO@", hooks_repo)
        .replace("@HOOKS_REV@", hooks_rev or f"v{__version__}")
    )


def workflow_text(install: str | None, site_audience: str | None = None) -> str:
    """The CI workflow; with ``site_audience`` (a TLP level) also a job publishing the site for it."""
    # A JSON string is a valid double-quoted YAML scalar: any requirement stays one value.
    requirement = json.dumps(install or f"{DISTRIBUTION}=={__version__}", ensure_ascii=False)
    text = _skeleton("workflow.yml")
    if site_audience is not None:
        if site_audience not in SENSITIVITY_ORDER:
            raise ValueError(f"unknown audience {site_audience!r}; use one of {', '.join(SENSITIVITY_ORDER)}")
        text += _skeleton("workflow-site.yml").replace("@AUDIENCE@", site_audience)
    return text.replace('"@KB_PACKAGE@"', requirement)


def create(
    directory: str | Path,
    *,
    our_side: str,
    name: str | None = None,
    sensitivity: str = "CLEAR",
    hooks_repo: str | None = None,
    hooks_rev: str | None = None,
    install: str | None = None,
    git: bool = False,
    site_audience: str | None = None,
) -> list[Created]:
    root = Path(directory)
    if (root / CONFIG_FILE).exists():
        raise AlreadyAKnowledgeBase(f"{root / CONFIG_FILE} exists: {root} is already a knowledge base")
    if sensitivity not in SENSITIVITY_ORDER:
        raise ValueError(f"unknown sensitivity {sensitivity!r}; use one of {', '.join(SENSITIVITY_ORDER)}")
    root.mkdir(parents=True, exist_ok=True)
    done: list[Created] = []

    def write(relpath: str, text: str) -> None:
        try:
            atomic.write_text(root / relpath, text, overwrite=False)
            done.append(Created(relpath, "created"))
        except atomic.FileExists:
            done.append(Created(relpath, "kept (already there)"))

    if git:
        _git_init(root)
    write(CONFIG_FILE, config_text(name or root.resolve().name, our_side, sensitivity))
    write(TOPICS_FILE, _skeleton("topics.yaml"))
    for folder in FOLDERS.values():
        write(f"{folder}/.gitkeep", "")
    _ignore_cache(root, done)
    write(PRE_COMMIT_FILE, pre_commit_text(hooks_repo, hooks_rev))
    write(WORKFLOW_FILE, workflow_text(install, site_audience))
    for path in schemas.write_all(root):
        done.append(Created(path.relative_to(root).as_posix(), "created"))
    return done


def _ignore_cache(root: Path, done: list[Created]) -> None:
    path = root / ".gitignore"
    if not path.exists():
        atomic.write_text(path, _skeleton("gitignore"), overwrite=False)
        done.append(Created(".gitignore", "created"))
        return
    text = path.read_text(encoding="utf-8")
    if GITIGNORE_LINE in text.split():
        done.append(Created(".gitignore", "kept (already there)"))
        return
    separator = "" if text.endswith("\n") or not text else "\n"
    atomic.write_text(path, text + separator + _skeleton("gitignore"))
    done.append(Created(".gitignore", "appended to"))


def _git_init(root: Path) -> None:
    inside = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--is-inside-work-tree"], capture_output=True, text=True
    )
    if inside.returncode != 0:
        subprocess.run(["git", "init", "--quiet", str(root)], check=True, capture_output=True)
