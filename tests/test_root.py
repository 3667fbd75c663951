"""`pyshim root [--cache]`: pyshim's folders (test_prefix.py checks the overrides too)."""

from __future__ import annotations

from pathlib import Path





def test_without_overrides_the_folders_follow_xdg(pyshim, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PYSHIM_ROOT")
    monkeypatch.delenv("PYSHIM_CACHE_DIR")
    home = Path(tmp_path / "home")
    assert pyshim("root").stdout == f"{home}/.local/share/pyshim\n"
    assert pyshim("root", "--cache").stdout == f"{home}/.cache/pyshim\n"
    xdg = {"XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CACHE_HOME": str(tmp_path / "cache-home")}
    assert pyshim("root", env=xdg).stdout == f"{tmp_path}/data/pyshim\n"
    assert pyshim("root", "--cache", env=xdg).stdout == f"{tmp_path}/cache-home/pyshim\n"


def test_root_takes_no_other_argument(pyshim) -> None:
    result = pyshim("root", "extra")
    assert result.returncode == 2 and result.stdout == ""
