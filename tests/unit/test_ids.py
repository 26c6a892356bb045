"""Identifiers: valid UUIDv7 text, unique, and ordered by creation time (what B-tree indexes rely on)."""

from __future__ import annotations

import os
import time
import uuid

from marketplace.domain.ids import new_id, random_bytes


def test_ids_are_rfc_9562_version_7_uuids_in_canonical_text() -> None:
    for text in (new_id() for _ in range(2_000)):
        parsed = uuid.UUID(text)
        assert parsed.version == 7
        assert parsed.variant == uuid.RFC_4122
        assert str(parsed) == text


def test_ids_carry_the_current_millisecond_and_sort_by_it() -> None:
    before = time.time_ns() // 1_000_000
    first = new_id()
    time.sleep(0.003)
    second = new_id()
    after = time.time_ns() // 1_000_000
    assert before <= int(first.replace("-", "")[:12], 16) <= after
    assert first < second


def test_ids_do_not_repeat_across_many_refills_of_the_random_buffer() -> None:
    ids = [new_id() for _ in range(50_000)]
    assert len(set(ids)) == len(ids)


def test_a_forked_child_does_not_repeat_its_parents_random_bytes() -> None:
    new_id()  # the buffer now holds unread randomness the child would inherit
    read, write = os.pipe()
    child = os.fork()
    if child == 0:
        os.write(write, random_bytes(16))
        os._exit(0)
    os.waitpid(child, 0)
    assert os.read(read, 16) != random_bytes(16)
