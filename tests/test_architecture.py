"""The layout shows the pipeline: every import points down it, none goes round in a circle, and
nothing below the command line imports it (GUIDE §8)."""

import ast
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "kb"
# Lower layers first; a module may import its own layer and those before it.
LAYERS = ["errors", "model", "store", "query", "checks|views", "rendering", "authoring|importing|site", "cli"]
TOP_LEVEL_MODULES = {"__init__.py", "__main__.py", "errors.py"}


def _rank(module: str) -> int:
    part = module.split(".")[1] if "." in module else "errors"  # kb itself: its version and name
    if part == "__main__":
        return len(LAYERS)  # `python -m kb`: above everything
    for rank, names in enumerate(LAYERS):
        if part in names.split("|"):
            return rank
    raise AssertionError(f"{module} is in no layer: add its package to LAYERS")


def _module(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    graph = {}
    for path in PACKAGE.rglob("*.py"):
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                raise AssertionError(f"{path}: relative import; write `from kb... import`")
            names = ([node.module] if isinstance(node, ast.ImportFrom) and node.module else []) + (
                [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            )
            for name in names:
                if name == "kb" or name.startswith("kb."):
                    found.add(name)
                    # `from kb.store import cache` imports the module kb.store.cache
                    found.update(
                        f"{name}.{alias.name}"
                        for alias in node.names
                        if (PACKAGE.parent / f"{name}.{alias.name}".replace(".", "/")).with_suffix(".py").exists()
                    )
        graph[_module(path)] = found
    return graph


GRAPH = _imports()


def test_every_import_points_down_the_pipeline():
    upward = sorted(
        (module, target)
        for module, targets in GRAPH.items()
        for target in targets
        if target != "kb" and _rank(target) > _rank(module) and not module.startswith("kb.__main__")
    )
    assert upward == []


def test_nothing_below_the_command_line_imports_it():
    assert (
        sorted(
            m
            for m, targets in GRAPH.items()
            if not m.startswith(("kb.cli", "kb.__main__")) and any(t.startswith("kb.cli") for t in targets)
        )
        == []
    )


def test_no_import_cycle():
    modules = {m for m in GRAPH}
    edges = {m: {t for t in targets if t in modules and t != m} for m, targets in GRAPH.items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(node, path):
        state[node] = 1
        for target in sorted(edges[node]):
            if state.get(target) == 1:
                cycles.append(path[path.index(target) :] + [target])
            elif target not in state:
                visit(target, path + [target])
        state[node] = 2

    for module in sorted(modules):
        if module not in state:
            visit(module, [module])
    # A package's __init__ importing its own modules is not a cycle of design.
    assert [c for c in cycles if not any(len(set(c)) == 2 and a.startswith(b + ".") for a in c for b in c)] == []


def test_the_top_of_the_package_holds_only_a_handful_of_modules():
    assert {p.name for p in PACKAGE.glob("*.py")} == TOP_LEVEL_MODULES


def test_no_module_is_imported_under_another_name():
    aliased = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kb"):
                aliased += [
                    f"{path.relative_to(REPO)}: {alias.name} as {alias.asname}"
                    for alias in node.names
                    if alias.asname and alias.asname != alias.name
                ]
    assert aliased == []
