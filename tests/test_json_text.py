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
