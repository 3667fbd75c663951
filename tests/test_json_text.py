"""pyshim.base.json_text against the json package: the same answers, for generated values and text."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyshim.base import json_text

VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_dumps_canonical_is_json_dumps_sorted_and_compact(value):
    assert json_text.dumps_canonical(value) == json.dumps(value, sort_keys=True, separators=(",", ":"))


@settings(max_examples=300, deadline=None)
@given(VALUES, st.sampled_from([None, 0, 2]))
def test_loads_reads_what_json_writes(value, indent):
    text = json.dumps(value, indent=indent)
    assert json_text.loads(text) == json.loads(text)
    assert json_text.loads(f" \n{text}\t\n") == value


@pytest.mark.parametrize("text", ["", "{not json", "[1, 2", "[1] [2]", '{"a": 1} x', "NaN", "[Infinity]", '"\x01"'])
def test_loads_refuses_what_json_refuses_or_pyshim_never_writes(text):
    with pytest.raises(ValueError):
        json_text.loads(text)


def test_deep_nesting_is_a_recursion_error_as_in_json():
    with pytest.raises(RecursionError):
        json_text.loads("[" * 100000 + "]" * 100000)


@pytest.mark.parametrize("text", ['{"entries": {nope', '[1, 2', '{"a": [1, }', '{"a" 1}'])
def test_malformed_text_is_a_value_error_in_a_process_without_json(text):
    """What the CLI has: the json package not loaded (the C scanner then reports a syntax error
    inside an object or array by failing without an exception; loads must still say ValueError)."""
    import subprocess
    import sys

    check = ("import sys\nfrom pyshim.base import json_text\nassert 'json' not in sys.modules\n"
             "try:\n    json_text.loads(sys.argv[1])\nexcept ValueError:\n    print('ValueError')\n")
    result = subprocess.run([sys.executable, "-c", check, text], capture_output=True, text=True,
                            env={"PYTHONPATH": str(__import__("pathlib").Path(json_text.__file__).parents[2])})
    assert (result.returncode, result.stdout.strip()) == (0, "ValueError"), result.stderr
