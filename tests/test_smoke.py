def test_versions_lists_machine_interpreters(pyshim):
    result = pyshim("versions")
    assert result.returncode == 0, result.stderr
    assert "3.12" in result.stdout
