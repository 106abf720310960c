"""The initiatives modules import each other in one direction, with no hidden circles."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from initiatives import exceptions, workflow

PACKAGE = Path(__file__).resolve().parents[2] / "initiatives"
# The app's modules; migrations and management commands (entry points nothing imports)
# are left out.
MODULES = sorted(
    path
    for path in PACKAGE.rglob("*.py")
    if "migrations" not in path.parts and "management" not in path.parts
)


def _function_level_imports(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        # AppConfig.ready() is where Django wants imports that need the loaded apps.
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name != "ready":
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    found.append(f"{path.relative_to(PACKAGE.parent)}:{inner.lineno}")
    return found


def test_no_module_hides_an_import_inside_a_function():
    hidden = [hit for path in MODULES for hit in _function_level_imports(path)]
    assert hidden == []


@pytest.mark.parametrize(
    "first",
    ["initiatives.emails", "initiatives.models", "initiatives.workflow", "initiatives.exceptions"],
)
def test_each_module_imports_on_its_own(first):
    """Whichever module is imported first, the others load without a circle."""
    code = f"import django; django.setup(); import {first}"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings"},
        cwd=PACKAGE.parent,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_models_and_the_emails_do_not_import_the_workflow():
    for name in ("models/applications.py", "emails.py", "exceptions.py"):
        tree = ast.parse((PACKAGE / name).read_text())
        imported = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
            for alias in node.names
        } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not {"workflow", "..workflow"} & imported, name
        assert not any(module.endswith("workflow") for module in imported), name


def test_the_exceptions_are_one_set_of_classes_for_old_and_new_callers():
    assert workflow.InvalidTransition is exceptions.InvalidTransition
    assert workflow.DeadlinePassed is exceptions.DeadlinePassed
    assert workflow.IncompleteApplication is exceptions.IncompleteApplication
    assert issubclass(exceptions.DeadlinePassed, exceptions.InvalidTransition)
    assert issubclass(exceptions.IncompleteApplication, exceptions.InvalidTransition)
