"""Benchmark: every command at 1,000 and 10,000 SEs, next to its floor, in one run.

For each roster size it writes a synthetic YAML roster (25 managers, every level -> target
pair the shipped ladder allows) and runs the real command line, one process per command:

- validate:  the roster (YAML, then the same as CSV) and ladder load (target: under 1.5 s
             at 10,000 SEs);
- generate:  floor = copying one finished workbook N times into a fresh folder; and again
             next to a second floor, a new Python process that parses the YAML roster
             (PyYAML's C loader) and then makes the same copies;
- collect:   the blank workbooks generate wrote, then the same workbooks filled in as the
             demo's SEs fill them (typed with openpyxl before timing starts); floor =
             python-calamine reading every cell of every file on 2 processes;
- report:    on the filled quarter's results file, with the history collect stored (its
             time only; target: at most 10 s at 10,000 SEs).

Each command and its floor run in turns (floor then command, then command then floor...),
``--rounds`` times (3 by default; 2 for collect at 10,000), each into a fresh folder after
``sync``. It prints the best time of each, their ratio, every turn's own ratio and their
median, and the peak RSS of the largest process of the command (main process or worker).
File creation on this machine's disk alone varies 10x from one minute to the next: the two
runs of a turn see the same weather, two separate bests may not (the floor's best can come
from a fast minute the command never had), so on disk read the turns' median; ``--where
/dev/shm`` takes the disk out altogether. Commands run with the tool compiled to bytecode
(in a temporary cache), as an installed package is. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_scale.py [--sizes 1000,10000] [--rounds 3] [--where /dev/shm] [--baseline SRC]

``--baseline SRC`` also runs the commands (at sizes up to 1,000) with another checkout's
``src`` first on PYTHONPATH, e.g. the main branch exported with
``git archive main src config templates | tar -x -C /tmp/base`` and ``--baseline /tmp/base/src``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing import Pool
from pathlib import Path

from python_calamine import CalamineWorkbook

import ladder_sheets

from ladder_sheets.config.ladder import load_ladder, load_roster
from ladder_sheets.core import layout
from ladder_sheets.core.model import Ladder, Person, Roster
from ladder_sheets.workflows.sample import PROFILES, _values
from ladder_sheets.xlsx import manifest
from ladder_sheets.xlsx.fill import fill

QUARTER = "2026-Q4"
DUE = date(2026, 12, 7)
MANAGERS = 25


@dataclass(frozen=True)
class Row:
    command: str
    people: int
    seconds: float
    peak_mib: float
    floor: float | None = None
    note: str = ""
    turns: tuple[float, ...] = ()  # command / floor of each turn (the two run back to back)


def _pairs() -> list[tuple[str, str]]:
    ladder = load_ladder()
    return [(lv.id, t) for lv in ladder.levels for t in (lv.id, *lv.promotes_to) if t in ladder.rubrics]


def write_csv_roster(path: Path, people: int) -> None:
    """The same roster as CSV, one row per SE."""
    pairs = _pairs()
    rows = ["id,name,email,level,target_level,manager_id,manager_name,manager_email,team"]
    for i in range(people):
        level, target = pairs[i % len(pairs)]
        m = i % MANAGERS
        rows.append(f"se-{i:05d},SE Number {i:05d},se{i:05d}@scale.example,{level},{target},"
                    f"mgr-{m:02d},Manager {m:02d},mgr{m:02d}@scale.example,Team {m % 5}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def write_roster(path: Path, people: int) -> None:
    """A YAML roster in block style, as people write them."""
    pairs = _pairs()
    lines = ["org: Scale Test", "leadership:", "  - vp@scale.example", "managers:"]
    for m in range(MANAGERS):
        lines += [f"  - id: mgr-{m:02d}", f"    name: Manager {m:02d}", f"    email: mgr{m:02d}@scale.example",
                  f"    team: Team {m % 5}"]
    lines.append("people:")
    for i in range(people):
        level, target = pairs[i % len(pairs)]
        lines += [f"  - id: se-{i:05d}", f"    name: SE Number {i:05d}", f"    email: se{i:05d}@scale.example",
                  f"    level: {level}", f"    target_level: {target}", f"    manager: mgr-{i % MANAGERS:02d}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(args: Sequence[str | Path], *, ok: tuple[int, ...] = (0,), src: str | None = None) -> tuple[float, float]:
    """(wall seconds, peak RSS in MiB of the largest process) of ``ladder-sheets ARGS``."""
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "ladder_sheets", *map(str, args)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in ok:
        raise SystemExit(f"ladder-sheets {' '.join(map(str, args))}: exit {proc.returncode}\n{err.decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024  # Linux: KiB; wait4 counts the child and its waited-for workers


def copy_floor(workbook: Path, people: int, tmp: Path) -> float:
    """Copying one finished workbook ``people`` times into a fresh directory."""
    target = tmp / "copy"
    target.mkdir()
    start = time.perf_counter()
    for n in range(people):
        shutil.copyfile(workbook, target / f"se-{n:05d}.xlsx")
    seconds = time.perf_counter() - start
    shutil.rmtree(target)
    return seconds


# The least a generate command must do: start, parse the roster (PyYAML's C loader, as generate does), write N files.
PROCESS_FLOOR = """
import shutil, sys, yaml
from pathlib import Path
with open(sys.argv[1], encoding="utf-8") as fh:
    yaml.load(fh, Loader=yaml.CSafeLoader)
target = Path(sys.argv[3])
target.mkdir()
for n in range(int(sys.argv[4])):
    shutil.copyfile(sys.argv[2], target / f"se-{n:05d}.xlsx")
"""


def process_floor(roster: Path, workbook: Path, people: int, tmp: Path) -> float:
    """A new Python process that parses the YAML roster and copies one finished workbook ``people`` times."""
    target = tmp / "copy"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", PROCESS_FLOOR, str(roster), str(workbook), str(target), str(people)],
                   check=True)
    seconds = time.perf_counter() - start
    shutil.rmtree(target)
    return seconds


def _read_every_cell(path: str) -> int:
    book = CalamineWorkbook.from_path(path)
    return sum(len(row) for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python())


def calamine_floor(files: list[str]) -> float:
    """python-calamine reading every cell of every file on 2 processes (pool start included)."""
    start = time.perf_counter()
    with Pool(2) as pool:
        cells = sum(pool.map(_read_every_cell, files, chunksize=max(1, len(files) // 16)))
    assert cells > 0
    return time.perf_counter() - start


@dataclass(frozen=True)
class _Filling:
    ladder: Ladder
    roster: Roster
    people: dict[str, Person]
    source: Path
    target: Path


_filling: list[_Filling] = []  # one per filling process, set by its initializer


def _load_for_filling(roster_path: Path, source: Path, target: Path) -> None:
    ladder = load_ladder()
    roster = load_roster(roster_path, ladder)
    _filling.append(_Filling(ladder, roster, {p.id: p for p in roster.people}, source, target))


def _fill_one(job: tuple[int, str, str]) -> None:
    """One SE's workbook typed in as a demo profile that returns it (self-scores, evidence, metrics, pivots)."""
    n, person_id, file = job
    f = _filling[0]
    person = f.people[person_id]
    returned = [p for p in PROFILES if p.self_scores is not None]
    values = _values(f.ladder, person, returned[n % len(returned)], with_manager=False)
    data = fill((f.source / file).read_bytes(), layout.build(f.ladder, f.roster, person, QUARTER, DUE), values)
    (f.target / file).write_bytes(data)


def fill_all(roster: Path, source: Path, target: Path) -> None:
    """Every workbook in ``source`` filled in, into ``target`` (setup: not timed)."""
    target.mkdir()
    jobs = [(n, e.person_id, e.file) for n, e in enumerate(manifest.read(source).values())]
    with Pool(2, _load_for_filling, (roster, source, target)) as pool:
        pool.map(_fill_one, jobs, chunksize=64)


def in_turns(rounds: int, floor: Callable[[], float], command: Callable[[int], tuple[float, float]]
             ) -> tuple[float, float, float, tuple[float, ...]]:
    """(best time, its peak MiB, best floor, each turn's ratio) of ``rounds`` turns of floor and command
    (given the round number). A turn's two runs see the same disk weather; separate bests may not."""
    floors: list[float] = []
    runs: list[tuple[float, float]] = []
    for i in range(rounds):
        for what in ("floor", "command") if i % 2 == 0 else ("command", "floor"):  # who goes first alternates
            os.sync()  # each starts after the disk has written back what came before
            if what == "floor":
                floors.append(floor())
            else:
                runs.append(command(i))
    seconds, peak = min(runs)
    return seconds, peak, min(floors), tuple(r[0] / f for r, f in zip(runs, floors))


def measure(people: int, tmp: Path, src: str | None, floors: bool, rounds: int) -> list[Row]:
    roster, db = tmp / "team.yaml", tmp / "history.sqlite3"
    write_roster(roster, people)
    write_csv_roster(tmp / "team.csv", people)
    rows = []
    validate = [run(["validate", "--team", roster], src=src) for _ in range(3)]
    rows.append(Row("validate", people, *min(validate), note="YAML roster, best of 3; target < 1.5 s at 10,000"))
    validate = [run(["validate", "--team", tmp / "team.csv"], src=src) for _ in range(3)]
    rows.append(Row("validate", people, *min(validate), note="CSV roster, best of 3"))

    def generate(i: int) -> tuple[float, float]:
        out = tmp / f"out-{i}"
        timed = run(["generate", "--team", roster, "--quarter", QUARTER, "--out", out, "--due", DUE.isoformat()],
                    src=src)
        books = sorted((out / QUARTER).glob("*.xlsx"))
        assert len(books) == people, f"generate wrote {len(books)} workbooks, expected {people}"
        if i:
            shutil.rmtree(out)  # the first run's workbooks are collected below
        return timed

    sample = tmp / "sample.xlsx"
    run(["generate", "--team", roster, "--quarter", QUARTER, "--out", tmp / "one", "--due", DUE.isoformat()], src=src)
    shutil.copyfile(sorted((tmp / "one" / QUARTER).glob("*.xlsx"))[0], sample)
    shutil.rmtree(tmp / "one")
    turns = rounds if floors else 1
    seconds, peak, floor, ratios = in_turns(turns, lambda: copy_floor(sample, people, tmp), generate)
    rows.append(Row("generate", people, seconds, peak, floor if floors else None,
                    f"best of {turns}; target <= 3x floor", ratios if floors else ()))
    if floors:  # the same command against the least work a command reading the roster must do
        seconds, peak, floor, ratios = in_turns(turns, lambda: process_floor(roster, sample, people, tmp), generate)
        rows.append(Row("generate", people, seconds, peak, floor,
                        f"best of {turns}; floor: a process parsing the roster, then the copies", ratios))
    blank = tmp / "out-0" / QUARTER
    filled = tmp / "filled"
    fill_all(roster, blank, filled)
    shutil.copy2(blank / manifest.MANIFEST_NAME, filled / manifest.MANIFEST_NAME)
    for what, folder in (("blank", blank), ("filled", filled)):
        rows.append(collect_row(what, folder, people, tmp, src, rounds if floors else 1))
    seconds, peak = run(["report", tmp / "results.json", "--team", roster, "--out", tmp / "report", "--db", db],
                        src=src)
    rows.append(Row("report", people, seconds, peak, note="the filled quarter; target <= 10 s at 10,000"))
    return rows


def collect_row(what: str, folder: Path, people: int, tmp: Path, src: str | None, rounds: int) -> Row:
    """collect of every workbook in ``folder`` next to its floor, in turns; the last run's results stay."""
    db, roster = tmp / "history.sqlite3", tmp / "team.yaml"
    books = [str(p) for p in sorted(folder.glob("*.xlsx"))]

    def collect(i: int) -> tuple[float, float]:
        for stale in (db, tmp / "results.json"):
            stale.unlink(missing_ok=True)
        return run(["collect", folder, "--team", roster, "--quarter", QUARTER, "--out", tmp / "results.json",
                    "--db", db], ok=(0, 1), src=src)  # 1: blanks or manager scores to come, as expected

    turns = rounds if people <= 1000 else min(rounds, 2)
    seconds, peak, floor, ratios = in_turns(turns, lambda: calamine_floor(books), collect)
    one = rounds > 1
    return Row("collect", people, seconds, peak, floor if one else None,
               f"{what} workbooks, best of {turns}; target <= 3x floor, < 300 MiB", ratios if one else ())


def show(rows: list[Row], label: str) -> None:
    for r in rows:
        floor = f"{r.floor:8.2f} s" if r.floor is not None else " " * 10
        ratio = f"{r.seconds / r.floor:6.1f}x" if r.floor else " " * 7
        turns = (f"   each turn: {', '.join(f'{t:.1f}x' for t in r.turns)} (median {statistics.median(r.turns):.1f}x)"
                 if r.turns else "")
        print(f"{label:9} {r.command:9} {r.people:>7,} {r.seconds:8.2f} s {floor} {ratio} {r.peak_mib:8.0f} MiB"
              f"   {r.note}{turns}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="Roster sizes, comma-separated.")
    parser.add_argument("--baseline", help="Another checkout's src directory, run too at sizes up to 1,000.")
    parser.add_argument("--rounds", type=int, default=3, help="Turns of floor and command (best of each is kept).")
    parser.add_argument("--where", help="Folder to work in (default: the system's temporary folder); "
                                        "/dev/shm takes the disk's weather out of the figures.")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-scale-pyc-") as pyc:
        sources = [Path(ladder_sheets.__file__).parent, *([Path(args.baseline)] if args.baseline else [])]
        with_bytecode(Path(pyc), sources)
        _measure_all(sizes, args)


def with_bytecode(cache: Path, sources: Sequence[Path]) -> None:
    """Let every command this run starts use compiled modules, kept in ``cache``, as an installed package does.

    pip compiles a package as it installs it; an environment that sets PYTHONDONTWRITEBYTECODE (as
    some containers do) would make each command compile the tool's own modules again, every run.
    """
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(cache)
    for source in sources:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(source)], check=True)


def _measure_all(sizes: list[int], args: argparse.Namespace) -> None:
    print(f"{os.cpu_count()} cores; one process per command; peak RSS of its largest process")
    print(f"{'':9} {'command':9} {'SEs':>7} {'time':>10} {'floor':>10} {'ratio':>7} {'peak RSS':>12}")
    for people in sizes:
        runs: list[tuple[str, str | None]] = [("this", None)]
        if args.baseline and people <= 1000:
            runs.append(("baseline", str(Path(args.baseline).resolve())))
        for label, src in runs:
            with tempfile.TemporaryDirectory(prefix=f"bench-scale-{people}-", dir=args.where) as tmp:
                show(measure(people, Path(tmp), src, floors=label == "this", rounds=args.rounds), label)


if __name__ == "__main__":
    main()
