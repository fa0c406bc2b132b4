"""Apps import downwards only: the layers below are the rule, and README's layout section draws them.

Every import in every app's code counts, those inside functions included; migrations and tests do not.
A lower app that must show something a higher app owns offers a registry in core.registries instead.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# app -> the project apps it may import. servicecrm (settings, URLs, Celery, WSGI) sits on top and may
# import any app; no app imports servicecrm.
ALLOWED = {
    "core": set(),
    "accounts": {"core"},
    "customers": {"core", "accounts"},
    "followups": {"core", "accounts", "customers"},
    "interactions": {"core", "accounts", "customers", "followups"},
    "mail": {"core", "accounts"},
    "today": {"core", "accounts", "customers", "followups", "interactions"},
    "reminders": {"core", "accounts", "customers", "followups", "mail"},
    "feedback": {"core", "accounts", "customers", "followups", "mail"},
    "actionplans": {"core", "accounts", "customers", "followups"},
    "offline": {"core", "accounts", "customers", "followups", "interactions"},
    "team": {"core", "accounts", "customers", "followups", "mail"},
    "health": {"core", "mail"},
    "trash": {"core", "accounts", "customers"},
    "insights": {"core", "accounts", "customers", "followups", "interactions", "feedback"},
    "merge": {"core", "accounts", "customers"},
    "imports": {"core", "accounts", "customers"},
    "exports": {"core", "accounts", "customers", "followups", "interactions"},
    "backup": {"core", "accounts", "customers"},
}
PROJECT_APPS = set(ALLOWED) | {"servicecrm"}


def imported_apps(app: str) -> dict[str, list[str]]:
    """{other app: ["file:line", ...]} for every import of another project app in `app`'s code."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in PROJECT_APPS and top != app:
                    found.setdefault(top, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_an_app_imports_only_the_apps_below_it(app):
    forbidden = {other: where for other, where in imported_apps(app).items() if other not in ALLOWED[app]}
    assert forbidden == {}


def test_the_allowed_imports_have_no_cycle():
    visiting, done = set(), set()

    def visit(app, path):
        assert app not in visiting, f"import cycle: {' -> '.join([*path, app])}"
        if app in done:
            return
        visiting.add(app)
        for lower in ALLOWED[app]:
            visit(lower, [*path, app])
        visiting.discard(app)
        done.add(app)

    for app in ALLOWED:
        visit(app, [])


def test_every_app_is_in_the_table():
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert apps == set(ALLOWED)


def test_the_checker_sees_an_import_inside_a_function(tmp_path, monkeypatch):
    app = tmp_path / "core"
    app.mkdir()
    (app / "module.py").write_text("def f():\n    from customers.models import Customer\n    return Customer\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert imported_apps("core") == {"customers": ["core/module.py:2"]}


def test_the_readme_shows_the_same_table():
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("### Which app may import which"):]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 2 and cells[0] in ALLOWED:
            rows[cells[0]] = set() if cells[1] == "—" else {name.strip() for name in cells[1].split(",")}
    assert rows == ALLOWED
