"""pyshim's folders: overrides, and the same defaults as platformdirs."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from pyshim.base import paths


@pytest.mark.parametrize("xdg", [None, "/custom/xdg", "relative/ignored"])
def test_defaults_agree_with_platformdirs(monkeypatch, xdg):
    monkeypatch.delenv("PYSHIM_ROOT")
    monkeypatch.delenv("PYSHIM_CACHE_DIR")
    for variable in ("XDG_DATA_HOME", "XDG_CACHE_HOME"):
        if xdg is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, xdg)
    assert Path(paths.root()) == Path(platformdirs.user_data_dir("pyshim", appauthor=False))
    assert Path(paths.cache_dir()) == Path(platformdirs.user_cache_dir("pyshim", appauthor=False))


def test_overrides_and_layout(monkeypatch, tmp_path):
    monkeypatch.setenv("PYSHIM_ROOT", str(tmp_path / "r"))
    monkeypatch.setenv("PYSHIM_CACHE_DIR", str(tmp_path / "c"))
    assert paths.root() == str(tmp_path / "r") and paths.cache_dir() == str(tmp_path / "c")
    assert paths.shims_dir() == str(tmp_path / "r" / "shims")
    assert paths.global_version_file() == str(tmp_path / "r" / "version")
    assert paths.venvs_dir() == str(tmp_path / "r" / "venvs")
