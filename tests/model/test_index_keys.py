"""The tuple encoding of multi-attribute index keys (model/index.py): byte order equals the
order of the tuples of their parts, and no tuple's encoding is a prefix of another's."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from openddb.model.index import encode_key_parts

parts = st.lists(st.binary(max_size=6), min_size=1, max_size=4)


@given(parts, parts)
def test_tuple_encoding_preserves_order(left: list[bytes], right: list[bytes]) -> None:
    if len(left) != len(right):
        right = (right * 4)[: len(left)]
    encoded_left, encoded_right = encode_key_parts(left), encode_key_parts(right)
    assert (encoded_left < encoded_right) == (left < right)
    assert (encoded_left == encoded_right) == (left == right)


def test_examples() -> None:
    assert encode_key_parts([b"ab", b"c"]) == b"ab\x00\x01c\x00\x01"
    assert encode_key_parts([b"a\x00"]) == b"a\x00\xff\x00\x01"
    assert encode_key_parts([b"a"]) < encode_key_parts([b"a\x00"]) < encode_key_parts([b"ab"])
    assert encode_key_parts([]) == b""
