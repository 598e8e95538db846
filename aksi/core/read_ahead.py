"""Read a stream of items in a thread, ahead of the code that consumes them.

A bulk import alternates between Python (parsing the next values) and waiting for the
database (storing the last chunk). Parsing in a second thread while the first waits on the
database overlaps the two: the waiting thread gives up the GIL. The parser must not touch the
database (it would get a connection, and a transaction, of its own).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

from django.utils import translation

T = TypeVar("T")

_END = object()


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def read_ahead(items: Iterable[T], *, batch: int = 2_000, depth: int = 8) -> Iterator[T]:
    """The items of `items` in order, produced by a thread at most `depth` batches of `batch`
    items ahead (memory stays bounded). An exception of the producer is raised here, where
    the item it failed on would have come; a consumer that stops early stops the producer.
    The producer runs in the caller's language, so its messages read the same."""
    language = translation.get_language()
    slots: queue.Queue[object] = queue.Queue(maxsize=depth)
    stopped = threading.Event()

    def put(item: object) -> None:
        while not stopped.is_set():
            try:
                slots.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def produce() -> None:
        try:
            with translation.override(language):
                iterator = iter(items)
                while not stopped.is_set():
                    block = list(islice(iterator, batch))
                    if not block:
                        break
                    put(block)
            put(_END)
        except BaseException as error:  # noqa: BLE001 — handed to the consumer, raised there
            put(_Failure(error))

    thread = threading.Thread(target=produce, name="read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            block = slots.get()
            if block is _END:
                return
            if isinstance(block, _Failure):
                raise block.error
            yield from block  # type: ignore[misc]
    finally:
        stopped.set()
        thread.join()
