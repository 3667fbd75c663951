"""The one loader of package-data templates (base.package_data): where it reads, and how."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import REPO
from pyshim.activation.shells import SHELL_RECORDS
from pyshim.base import package_data

SOURCE_FOLDERS = {  # package data folder -> the folder in the source tree that holds the files
    "shim_templates": REPO / "shims",
    "activation/templates": REPO / "src" / "pyshim" / "activation" / "templates",
    "shell/templates": REPO / "src" / "pyshim" / "shell" / "templates",
}
SHIPPED = [(folder, path.name) for folder, source in SOURCE_FOLDERS.items() for path in sorted(source.iterdir())
           if path.is_file()]


@pytest.mark.parametrize("folder, name", SHIPPED)
def test_every_template_reads_as_the_file_in_the_source_tree(folder: str, name: str) -> None:
    source = SOURCE_FOLDERS[folder] / name
    assert package_data.read_text(*folder.split("/"), name) == source.read_bytes().decode("utf-8")


def test_every_init_template_a_shell_names_is_shipped() -> None:
    named = {name for shell in SHELL_RECORDS for name in shell.init_templates}
    assert named and named <= {name for folder, name in SHIPPED if folder == "shell/templates"}


def test_line_ends_and_text_are_kept_as_shipped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "t.bat").write_bytes("@echo off\r\nrem caf\u00e9\rend\n".encode("utf-8"))
    monkeypatch.setattr(package_data, "PACKAGE_DIR", str(tmp_path))
    assert package_data.data_path("templates", "t.bat") == str(tmp_path / "templates" / "t.bat")
    assert package_data.read_text("templates", "t.bat") == "@echo off\r\nrem caf\u00e9\rend\n"
