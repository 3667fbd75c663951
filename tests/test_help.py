"""`pyshim help [COMMAND]`: the same text as `pyshim COMMAND --help` (test_cli.py checks
`--help` and `--version` themselves)."""

from __future__ import annotations

from pyshim.cli import COMMANDS


def test_unknown_help_topic_is_a_usage_error(pyshim):
    result = pyshim("help", "nonsense")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "nonsense" in result.stderr


def test_help_of_every_command_is_its_help(pyshim):
    assert pyshim("help").returncode == 0 and pyshim("help").stdout.startswith("usage: pyshim")
    for command in COMMANDS:
        helped = pyshim("help", command)
        assert helped.returncode == 0 and helped.stderr == "", command
        assert helped.stdout == pyshim(command, "--help").stdout and f"pyshim {command}" in helped.stdout, command
