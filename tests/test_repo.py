"""Repository checks: lint and format are clean, and CI runs exactly the README's test command."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    setup = text.split("## Set up on a fresh machine", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```\n(.+?)\n```", setup)


def test_readme_has_the_two_setup_commands() -> None:
    install_and_start, install_and_test = readme_commands()
    assert install_and_start.startswith(
        "pip install -c requirements.lock . && streamlit run app.py"
    )
    assert "pytest" in install_and_test and install_and_test.startswith("pip install")


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    test_command = readme_commands()[1]
    assert test_command in ci.splitlines()


# Run through this interpreter: ruff is a test dependency, so a missing ruff fails, never skips.
@pytest.mark.parametrize("command", [["check", "."], ["format", "--check", "."]])
def test_lint_and_format_are_clean(command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *command],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_lock_pins_every_dependency_within_its_range() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    direct = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    pins = {}
    for line in (REPO / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    for text in direct:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in requirements.lock: python scripts/write_lock.py"
        assert requirement.specifier.contains(pins[name]), (name, pins[name])


def test_every_server_setting_is_one_streamlit_knows() -> None:
    """Streamlit only warns about an unknown option in config.toml; a misspelt one (for example
    the file watcher or the garbage collection after each run, which the first paint depends
    on) would silently do nothing."""
    from streamlit import config

    known = config.get_config_options()
    settings = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    written = [f"{section}.{name}" for section, table in settings.items() for name in table]
    assert "server.fileWatcherType" in written and "runner.postScriptGC" in written
    assert [name for name in written if name not in known] == []
