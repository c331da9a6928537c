"""The mutation score of the library's modules, after `mutmut run` (README, "Testing").

    python tests/mutation_score.py          # per module: mutants, killed, equivalent, not killed

Score = killed / (all mutants - the equivalent ones listed in tests/equivalent_mutants.txt).
Each listed mutant is checked against the change mutmut made today: if a module changed and
mutmut numbered its mutants differently, the entry is reported as stale instead of being
trusted. Exits 1 when the score is below 95% or an entry is stale.
"""
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EQUIVALENT = REPO / "tests" / "equivalent_mutants.txt"
GOAL = 95.0


def read_equivalent(path=EQUIVALENT):
    """{mutant name: (the mutated line, why it changes nothing)} from the checked-in list."""
    entries = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split(" | ")            # the mutated line itself may hold " | "
        if len(parts) < 3:
            raise ValueError(f"{path}:{number}: expected 'name | mutated line | why', got {line!r}")
        entries[parts[0].strip()] = (" | ".join(parts[1:-1]).strip(), parts[-1].strip())
    return entries


def mutated_line(diff):
    """The first line the mutant adds, from mutmut's unified diff, without the '+' and indentation."""
    added = [line[1:].strip() for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    return added[0] if added else ""


def main():
    import os
    os.chdir(REPO)                                       # mutmut reads setup.cfg and mutants/ from here
    from mutmut.__main__ import SourceFileMutationData, walk_mutatable_files
    from mutmut.mutation.diff_apply import get_diff_for_mutant
    from mutmut.stats import status_by_exit_code

    equivalent = read_equivalent()
    statuses = {}
    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        data.load()
        for name, exit_code in data.exit_code_by_key.items():
            statuses[name] = (str(path), status_by_exit_code[exit_code], path)

    stale = []
    for name, (line, _) in equivalent.items():
        if name not in statuses:
            stale.append(f"{name}: no such mutant today")
            continue
        today = mutated_line(get_diff_for_mutant(name, path=statuses[name][2]))
        if today != line:
            stale.append(f"{name}: mutmut's change today is {today!r}, the list says {line!r}")

    table, not_killed = {}, []
    for name, (module, status, _) in sorted(statuses.items()):
        counts = table.setdefault(module, Counter())
        counts["mutants"] += 1
        if name in equivalent:
            counts["equivalent"] += 1
            if status == "killed":
                stale.append(f"{name}: listed as equivalent but a test kills it")
        elif status in ("killed", "timeout"):
            counts["killed"] += 1
        else:
            counts["not killed"] += 1
            not_killed.append(f"{name}: {status}")

    print(f"{'module':<16}{'mutants':>8}{'equivalent':>11}{'killed':>8}{'not killed':>11}{'score':>8}")
    total = Counter()
    for module, counts in table.items():
        total.update(counts)
        print(f"{module:<16}{counts['mutants']:>8}{counts['equivalent']:>11}{counts['killed']:>8}"
              f"{counts['not killed']:>11}{score(counts):>7.1f}%")
    print(f"{'all':<16}{total['mutants']:>8}{total['equivalent']:>11}{total['killed']:>8}"
          f"{total['not killed']:>11}{score(total):>7.1f}%")
    print(f"score = killed / (mutants - equivalent); goal {GOAL:.0f}%")
    if not_killed:
        print("\nNot killed (see each with `mutmut show NAME`):\n  " + "\n  ".join(not_killed))
    if stale:
        print("\nStale entries in tests/equivalent_mutants.txt:\n  " + "\n  ".join(stale))
    return 1 if stale or score(total) < GOAL else 0


def score(counts):
    considered = counts["mutants"] - counts["equivalent"]
    return 100.0 * counts["killed"] / considered if considered else 100.0


if __name__ == "__main__":
    sys.exit(main())
