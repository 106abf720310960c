"""The booklet app builds on the case library, never the other way round
(docs/architecture.md: "booklets/ ──> cases/")."""

import ast
from pathlib import Path

import cases

CASES_DIR = Path(cases.__file__).resolve().parent


def imported_modules(source, package):
    """The absolute names of the modules `source` imports; relative imports are resolved
    against `package`, the dotted package the file lives in."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                yield f"{base}.{node.module}" if node.module else base
            else:
                yield node.module


def booklet_imports(source, package):
    return [
        module
        for module in imported_modules(source, package)
        if module == "booklets" or module.startswith("booklets.")
    ]


def test_the_case_library_never_imports_the_booklet_app():
    offenders = {}
    for path in sorted(CASES_DIR.rglob("*.py")):
        package = ".".join(path.relative_to(CASES_DIR.parent).parts[:-1])
        found = booklet_imports(path.read_text(encoding="utf-8"), package)
        if found:
            offenders[str(path.relative_to(CASES_DIR.parent))] = found
    assert offenders == {}


def test_the_boundary_check_sees_every_form_of_import():
    source = (
        "import booklets.pdf\n"
        "from booklets.folder import Folder\n"
        "from booklets import views\n"
        "def later():\n"
        "    import booklets.parts\n"
    )
    assert booklet_imports(source, "cases.management") == [
        "booklets.pdf",
        "booklets.folder",
        "booklets",
        "booklets.parts",
    ]
    unrelated = "from .models import Case\nfrom ..portal import x\nimport bookletsx\n"
    assert booklet_imports(unrelated, "cases.management") == []
