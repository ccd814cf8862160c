"""Writes requirements.lock: the exact versions, installed here, of everything the project and its
tests need, so a fresh machine installs what the tests passed on (pip install -c requirements.lock).

Run it after changing a dependency in pyproject.toml and passing the tests:
    python scripts/write_lock.py
"""

from __future__ import annotations

import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
EXTRAS = ("test",)


def wanted(requirement: Requirement, extras: frozenset[str]) -> bool:
    """True when the requirement applies on this machine for the extras asked for."""
    if requirement.marker is None:
        return True
    environment = dict(default_environment())
    return any(
        requirement.marker.evaluate({**environment, "extra": extra}) for extra in extras or {""}
    )


def closure(roots: list[Requirement]) -> dict[str, str]:
    """Every distribution the roots need, transitively, with the version installed here."""
    pinned: dict[str, str] = {}
    queue = [(root, frozenset(root.extras)) for root in roots]
    while queue:
        requirement, extras = queue.pop()
        name = canonicalize_name(requirement.name)
        try:
            distribution = metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            sys.exit(f"{requirement.name} is not installed: pip install '.[test]' first")
        seen_before = name in pinned
        pinned[name] = distribution.version
        if seen_before and not extras:
            continue
        for text in distribution.requires or []:
            needed = Requirement(text)
            if wanted(needed, extras):
                queue.append((needed, frozenset(needed.extras)))
    return pinned


def main() -> int:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    roots = [Requirement(text) for text in project["dependencies"]]
    for extra in EXTRAS:
        roots += [Requirement(text) for text in project["optional-dependencies"][extra]]
    pinned = closure(roots)
    lines = [
        "# The versions the tests passed on; written by scripts/write_lock.py, read by",
        "# pip install -c requirements.lock (README, .ci/run).",
        *(f"{name}=={version}" for name, version in sorted(pinned.items())),
    ]
    LOCK.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{LOCK.name}: {len(pinned)} distributions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
