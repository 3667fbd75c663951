"""pyshim.activation.render and safety without re and unicodedata: the same answers as with them."""

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from pyshim.activation import safety
from pyshim.activation.render import split_placeholders

PLACEHOLDER = re.compile(r"__[A-Z][A-Z0-9_]*__")


def split_with_re(text):
    parts, last = [], 0
    for match in PLACEHOLDER.finditer(text):
        parts += [text[last:match.start()], match.group(0)[2:-2]]
        last = match.end()
    return parts + [text[last:]]


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="_AB1a x\n", max_size=24))
def test_placeholders_are_found_as_the_pattern_finds_them(text):
    assert split_placeholders(text) == split_with_re(text)


def test_control_and_surrogate_characters_are_unicode_categories_cc_and_cs():
    for code in range(0x110000):
        char = chr(code)
        category = unicodedata.category(char)
        assert (safety._is_control(char), safety._is_surrogate(char)) == (category == "Cc", category == "Cs"), hex(code)
