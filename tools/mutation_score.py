"""Print mutmut's results per package and per module: killed of total, survivors, mean time per mutant.

``make mutate`` runs it after ``mutmut run``. It reads the ``.meta`` files mutmut leaves
beside each mutated module under ``mutants/`` and classifies each mutant's exit code with
mutmut's own table. A mutant counts as killed when a test failed (or ran out of time) with
it in place; one no test reaches counts against the score, as a survivor does.

Usage: python tools/mutation_score.py [mutants/]
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from mutmut.stats import status_by_exit_code

KILLED = {"killed", "timeout", "caught by type check", "segfault"}
UNDECIDED = {"not checked", "skipped", "check was interrupted by user"}  # left out of the score


def tally(mutants: Path) -> dict[str, tuple[Counter[str], list[float]]]:
    """Module (dotted) -> (count per status, durations of the mutants run) from every .meta file."""
    out: dict[str, tuple[Counter[str], list[float]]] = {}
    for meta in sorted(mutants.glob("src/**/*.py.meta")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        codes = data.get("exit_code_by_key", {})
        if not codes:
            continue
        module = ".".join(meta.relative_to(mutants / "src").with_suffix("").with_suffix("").parts)
        statuses = Counter(status_by_exit_code[code] for code in codes.values())
        out[module] = (statuses, [float(t) for t in data.get("durations_by_key", {}).values()])
    return out


def line(name: str, statuses: Counter[str], durations: list[float]) -> str:
    killed = sum(n for s, n in statuses.items() if s in KILLED)
    total = sum(n for s, n in statuses.items() if s not in UNDECIDED)
    score = f"{killed / total:6.1%}" if total else "     -"
    rest = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()) if s not in KILLED and n)
    mean = f"{sum(durations) / len(durations):.2f} s/mutant" if durations else ""
    return f"{name:<44} {score}  {killed:>5} of {total:<5} {mean:>14}  {rest}"


def main(argv: list[str]) -> int:
    mutants = Path(argv[1] if len(argv) > 1 else "mutants")
    modules = tally(mutants)
    if not modules:
        print(f"no mutmut results under {mutants}/ (run `make mutate` first)", file=sys.stderr)
        return 1
    packages: dict[str, list[str]] = defaultdict(list)
    for module in modules:
        packages[".".join(module.split(".")[:2])].append(module)
    print(f"{'package / module':<44} {'score':>6}  {'killed of total':<15} {'time':>14}  not killed")
    everything: Counter[str] = Counter()
    all_durations: list[float] = []
    for package, members in sorted(packages.items()):
        statuses = sum((modules[m][0] for m in members), Counter())
        durations = [t for m in members for t in modules[m][1]]
        everything += statuses
        all_durations += durations
        print(line(package, statuses, durations))
        for module in sorted(members):
            print(line("  " + module.rsplit(".", 1)[-1], *modules[module]))
    print(line("all", everything, all_durations))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
