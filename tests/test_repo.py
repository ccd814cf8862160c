"""Repository checks: lint and format are clean, and CI runs exactly the README's test command."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    setup = text.split("## Set up on a fresh machine", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```\n(.+?)\n```", setup)


def test_readme_has_the_two_setup_commands() -> None:
    install_and_start, install_and_test = readme_commands()
    assert install_and_start.startswith("pip install . && streamlit run app.py")
    assert "pytest" in install_and_test and install_and_test.startswith("pip install")


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    test_command = readme_commands()[1]
    assert test_command in ci.splitlines()


@pytest.mark.skipif(
    shutil.which("ruff") is None, reason="ruff is not installed (pip install '.[test]')"
)
@pytest.mark.parametrize("command", [["ruff", "check", "."], ["ruff", "format", "--check", "."]])
def test_lint_and_format_are_clean(command: list[str]) -> None:
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
