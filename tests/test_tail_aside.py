"""collect's tail with the results file written in a forked child (workflows/aside.py) while the history is
stored: the same files, terminal output, history rows and errors as one step after the other."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from ladder_sheets.cli import collect_text, collecting
from ladder_sheets.workflows import aside
from ladder_sheets.core.errors import ConfigError, HistoryError
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.results import Results
from ladder_sheets.history.store import store

from tests.test_tail_output import _all_rows, _odd_results


@pytest.fixture(scope="module")
def odd(ladder: Ladder, roster: Roster) -> Results:
    return _odd_results(ladder, roster, people=60)


def _finish(results: Results, folder: Path, ladder: Ladder, *, forked: bool, monkeypatch: pytest.MonkeyPatch,
            capsys: pytest.CaptureFixture[str], verbosity: str = "normal", out: Path | None = None,
            db: Path | None = None) -> tuple[object, str]:
    """(exit code or the error raised, stdout with ``folder`` as F) of ``finish``; asserts the fork when ``forked``."""
    forks: list[int] = []
    real_start = aside.start

    def spy(work: object) -> object:
        forks.append(1)
        return real_start(work)  # type: ignore[arg-type]

    monkeypatch.setattr(aside, "worth", lambda people: forked)
    monkeypatch.setattr(aside, "start", spy)
    capsys.readouterr()
    outcome: object = 0
    try:
        collecting.finish(click.Context(click.Command("collect")), results, out or folder / "results.json",
                          db or folder / "h.sqlite3", ladder, verbosity)
    except click.exceptions.Exit as exc:
        outcome = exc.exit_code
    except (ConfigError, HistoryError) as exc:
        outcome = f"{type(exc).__name__}: {str(exc).replace(str(folder), 'F')}"
    assert len(forks) == (1 if forked else 0)
    return outcome, capsys.readouterr().out.replace(str(folder), "F")


@pytest.mark.parametrize("verbosity", ["normal", "verbose", "quiet"])
def test_forked_writes_prints_and_stores_what_one_step_after_the_other_does(
        odd: Results, ladder: Ladder, tmp_path: Path, verbosity: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    serial, forked = tmp_path / "serial", tmp_path / "forked"
    serial.mkdir()
    forked.mkdir()
    expected = _finish(odd, serial, ladder, forked=False, monkeypatch=monkeypatch, capsys=capsys, verbosity=verbosity)
    got = _finish(odd, forked, ladder, forked=True, monkeypatch=monkeypatch, capsys=capsys, verbosity=verbosity)
    assert got == expected
    assert expected[0] == 1 and (verbosity == "quiet" or "history: 60 people stored" in expected[1])
    for name in ("results.json", "results.log"):
        assert (forked / name).read_bytes() == (serial / name).read_bytes()
    assert _all_rows(forked / "h.sqlite3") == _all_rows(serial / "h.sqlite3")


@pytest.mark.parametrize("forked", [False, True])
def test_results_that_cannot_be_written_leave_no_history_and_print_nothing(
        odd: Results, ladder: Ladder, tmp_path: Path, forked: bool, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    out = tmp_path / "file" / "results.json"
    outcome, printed = _finish(odd, tmp_path, ladder, forked=forked, monkeypatch=monkeypatch, capsys=capsys, out=out)
    assert outcome == "ConfigError: --out: F/file/results.json: cannot write results: File exists"
    assert printed == ""
    assert list(tmp_path.iterdir()) == [tmp_path / "file"]  # no database where there was none


@pytest.mark.parametrize("forked", [False, True])
def test_a_log_that_cannot_be_written_leaves_the_history_as_it_was(
        odd: Results, ladder: Ladder, roster: Roster, tmp_path: Path, forked: bool, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "h.sqlite3"
    store(_odd_results(ladder, roster, people=5), db)
    before = _all_rows(db)
    (tmp_path / "results.log").mkdir()
    outcome, printed = _finish(odd, tmp_path, ladder, forked=forked, monkeypatch=monkeypatch, capsys=capsys)
    assert outcome == "ConfigError: --out: F/results.log: cannot write the problem log: Is a directory"
    assert printed == ""
    assert _all_rows(db) == before
    assert (tmp_path / "results.json").exists()  # written first, as before


@pytest.mark.parametrize("forked", [False, True])
def test_a_history_error_comes_after_the_files_and_the_lines(
        odd: Results, ladder: Ladder, tmp_path: Path, forked: bool, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    with sqlite3.connect(tmp_path / "h.sqlite3") as db:
        db.execute("PRAGMA user_version = 99")
    outcome, printed = _finish(odd, tmp_path, ladder, forked=forked, monkeypatch=monkeypatch, capsys=capsys)
    assert str(outcome).startswith("HistoryError: F/h.sqlite3: written by a newer ladder-sheets (schema 99")
    lines = "".join(collect_text.blocks(odd, problems=False))
    assert printed == f"{lines}results: F/results.json\nproblems: F/results.log ({odd.problem_count} in all)\n"
    assert (tmp_path / "results.json").exists() and (tmp_path / "results.log").exists()


def test_the_child_reports_how_the_work_went(tmp_path: Path) -> None:
    def fails() -> None:
        raise ConfigError("--out: cannot")

    done = aside.start(fails)
    for _ in range(2):  # every call, the same
        with pytest.raises(ConfigError, match="^--out: cannot$"):
            done()

    def breaks() -> None:
        raise ValueError("a bug")

    with pytest.raises(RuntimeError, match="writing the results failed: ValueError: a bug"):
        aside.start(breaks)()

    def interrupted() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        aside.start(interrupted)()

    def writes() -> None:
        (tmp_path / "x").write_text("written", encoding="utf-8")

    aside.start(writes)()
    assert (tmp_path / "x").read_text(encoding="utf-8") == "written"
    assert not aside.worth(aside.FORK_FROM - 1)


def test_the_log_made_ahead_is_all_of_it_in_order() -> None:
    made: list[str] = []

    def blocks() -> Iterator[str]:
        for text in ("ab", "cd", "ef", "gh"):
            made.append(text)
            yield text

    ahead = aside.ahead(blocks(), most=3)
    assert made == ["ab", "cd"]  # up to 3 characters made now, the rest when written
    assert "".join(ahead) == "abcdefgh"
