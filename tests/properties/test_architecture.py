"""The architecture is checked, not described: imports run one way, publishing -> workflow -> cms.

Python imports are held to the import-linter contracts in pyproject.toml ([tool.importlinter]), which `make lint`
checks and this suite checks again, so `make test` alone also fails on a broken contract. Templates are not Python,
so import-linter cannot see a `{% load %}`; the scan below holds them to the same direction: the workflow's
templates load no publishing template tags, and the project's own (everything outside templates/workflow/ and
templates/publishing/) load neither workflow's nor publishing's."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from importlinter.cli import lint_imports

ROOT = Path(settings.BASE_DIR)
TEMPLATES = ROOT / "templates"
LOAD = re.compile(r"{%\s*load\s+(.*?)\s*%}")


def loaded_libraries(text: str) -> set[str]:
    """The template tag libraries a template loads: `{% load a b %}` loads a and b, `{% load x y from c %}` loads c."""
    found = set()
    for match in LOAD.finditer(text):
        words = match.group(1).split()
        found.update(words[words.index("from") + 1 :] if "from" in words else words)
    return found


def libraries_of(*packages: str) -> set[str]:
    """The names `{% load %}` knows for the template tag libraries of these packages (publishing, workflow...)."""
    libraries = engines["django"].engine.libraries
    return {name for name, module in libraries.items() if module.split(".")[0] in packages}


def templates(where: str = "", *, outside: tuple[str, ...] = ()) -> list:
    """Each template under templates/<where>/, by its name as Django finds it, leaving out the folders `outside`."""
    names = [path.relative_to(TEMPLATES).as_posix() for path in sorted((TEMPLATES / where).rglob("*.html"))]
    skip = tuple(f"{folder}/" for folder in outside)
    return [pytest.param(name, id=name) for name in names if not name.startswith(skip)]


def test_import_contracts_are_kept():
    """The same check as `lint-imports` in `make lint`; its report says which import broke which contract."""
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0


def test_the_libraries_are_found():
    assert "public_reports" in libraries_of("publishing")
    assert "report_status" in libraries_of("workflow")
    assert libraries_of("cms") >= {"govuk", "guidance"}


@pytest.mark.parametrize("name", templates("workflow"))
def test_workflow_templates_load_no_publishing_tags(name):
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    assert loaded_libraries(text) & libraries_of("publishing") == set()


@pytest.mark.parametrize("name", templates(outside=("workflow", "publishing")))
def test_the_projects_templates_load_neither_workflow_nor_publishing_tags(name):
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    assert loaded_libraries(text) & libraries_of("workflow", "publishing") == set()


def test_the_scan_reads_every_form_of_load():
    assert loaded_libraries("{% load govuk wagtailcore_tags public_reports %}") == {
        "govuk",
        "wagtailcore_tags",
        "public_reports",
    }
    assert loaded_libraries("{%load public_report from public_reports%}") == {"public_reports"}
    assert loaded_libraries("{% block title %}load public_reports{% endblock %}") == set()
