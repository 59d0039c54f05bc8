"""The bounded reader for paths a user names: what it reads, and where it stops."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.files import UnreadableFile, read_bounded


def test_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b"x" * 100)
    assert read_bounded(path, 100) == b"x" * 100


def test_one_byte_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b"x" * 101)
    with pytest.raises(UnreadableFile) as error:
        read_bounded(path, 100)
    assert "100" in error.value.reason


def test_a_symlink_to_a_file_is_followed(tmp_path: Path) -> None:
    target = tmp_path / "target.csv"
    target.write_bytes(b"a,b\n")
    (tmp_path / "link.csv").symlink_to(target)
    assert read_bounded(tmp_path / "link.csv", 10) == b"a,b\n"


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile):
        read_bounded(tmp_path, 10)
