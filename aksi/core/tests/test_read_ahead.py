from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from aksi.core.read_ahead import read_ahead


def test_it_gives_every_item_in_order_across_batches() -> None:
    assert list(read_ahead(iter(range(10_007)), batch=100, depth=2)) == list(range(10_007))


def test_it_gives_nothing_for_nothing() -> None:
    assert list(read_ahead([], batch=5)) == []


def test_it_produces_in_another_thread() -> None:
    seen: list[str] = []

    def items() -> Iterator[int]:
        seen.append(threading.current_thread().name)
        yield 1

    assert list(read_ahead(items())) == [1]
    assert seen == ["read-ahead"]


def test_it_raises_the_producers_error_after_the_items_before_it() -> None:
    def items() -> Iterator[int]:
        yield from range(5)
        raise ValueError("bad byte at 5")

    got: list[int] = []
    with pytest.raises(ValueError, match="bad byte at 5"):
        got.extend(read_ahead(items(), batch=2))
    # The batch holding the failure is lost with it; everything before it came through.
    assert got == [0, 1, 2, 3]


def test_it_stops_the_producer_when_the_consumer_stops() -> None:
    produced = []

    def items() -> Iterator[int]:
        for number in range(1_000_000):
            produced.append(number)
            yield number

    stream = read_ahead(items(), batch=10, depth=2)
    assert next(stream) == 0
    stream.close()
    # At most the batches that fit in the queue, the one being handed over and the one being
    # read were produced, not the million.
    assert len(produced) <= 10 * 5
    assert not [t for t in threading.enumerate() if t.name == "read-ahead"]


def test_it_produces_in_the_callers_language() -> None:
    def items() -> Iterator[str]:
        yield _("Value")

    with translation.override("id"):
        indonesian = list(read_ahead(items()))
        expected = _("Value")
    with translation.override("en"):
        english = list(read_ahead(items()))
    assert english == ["Value"]
    assert expected != "Value"  # the test means something only if the word is translated
    assert indonesian == [expected]
