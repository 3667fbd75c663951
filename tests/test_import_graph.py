"""The folders are the data flow: no module imports from a stage after its own.

Every module under src/pyshim is parsed with `ast` (imports inside functions count too, since a
lazy import is still a dependency); each is mapped to its stage, base < selection < interpreters
< actions < command line (docs/design.md, "Module map today"), and an import that points to a
later stage fails. The action packages may use each other, but not in a cycle. Imports under
`if TYPE_CHECKING:` are left out: they name a type for annotations and never run
(`selection.request.PythonRequest.matches` takes a `PythonInfo`).
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, List, Set, Tuple

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "pyshim"
STAGES = {"base": 0, "selection": 1, "interpreters": 2, "venv": 3, "activation": 3, "shims": 3, "shell": 3,
          "install": 3, "doctor": 3, "cli": 4, "__main__": 4}
NAMES = {0: "base", 1: "selection", 2: "interpreters", 3: "actions", 4: "command line"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py")) if "templates" not in path.parts}


def stage_of(module: str) -> Tuple[int, str]:
    """(rank, package) of a pyshim module; the package `pyshim` itself holds only __version__."""
    parts = module.split(".")
    if len(parts) == 1:
        return 0, "pyshim"
    assert parts[1] in STAGES, f"{module} is in no stage: add its folder to STAGES and docs/design.md"
    return STAGES[parts[1]], parts[1]


def imports_of(module: str) -> List[Tuple[str, int]]:
    """The pyshim modules `module` imports, each with its line."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for block in ast.walk(tree):  # annotations only: drop `if TYPE_CHECKING:` bodies
        if isinstance(block, ast.If) and isinstance(block.test, ast.Name) and block.test.id == "TYPE_CHECKING":
            block.body = []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                child = f"{base}.{alias.name}"
                found.append((child if child in MODULES else base, node.lineno))
    return sorted({(name, line) for name, line in found if name == "pyshim" or name.startswith("pyshim.")})


def test_every_module_has_a_stage() -> None:
    assert len(MODULES) > 50
    for module in MODULES:
        stage_of(module)


def test_no_import_reaches_a_later_stage() -> None:
    back_edges = []
    for module in MODULES:
        rank, _ = stage_of(module)
        for target, line in imports_of(module):
            target_rank, _ = stage_of(target)
            if target_rank > rank:
                back_edges.append(f"{MODULES[module].relative_to(SRC)}:{line}: {module} ({NAMES[rank]}) "
                                  f"imports {target} ({NAMES[target_rank]})")
    assert not back_edges, "\n".join(back_edges)


def test_the_action_packages_form_no_cycle() -> None:
    edges: Dict[str, Set[str]] = {}
    for module in MODULES:
        rank, package = stage_of(module)
        for target, _ in imports_of(module):
            target_rank, target_package = stage_of(target)
            if rank == target_rank and package != target_package:
                edges.setdefault(package, set()).add(target_package)

    def reaches(start: str, goal: str, seen: Set[str]) -> bool:
        return any(step == goal or (step not in seen and reaches(step, goal, seen | {step}))
                   for step in edges.get(start, ()))

    cycles = sorted(package for package in edges if reaches(package, package, {package}))
    assert not cycles, f"packages of one stage import each other in a cycle: {cycles}; edges: {edges}"
