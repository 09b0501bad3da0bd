"""Benchmark: how long `reverie --help` takes (budget: 1 s, DESIGN.md).

The baseline, measured in the same run, is a bare `python -c pass`: the part of the start-up no
Reverie code can remove.

    python bench/cli_startup.py [--runs 15]
"""

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REVERIE = Path(sys.executable).with_name("reverie")


def median_seconds(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    help_s = median_seconds([str(REVERIE), "--help"], args.runs)
    import_help_s = median_seconds([str(REVERIE), "import", "--help"], args.runs)
    bare = median_seconds([sys.executable, "-c", "pass"], args.runs)
    print(f"| command | median of {args.runs} | over bare Python ({bare * 1000:.0f} ms) |")
    print("|---|---|---|")
    print(f"| `reverie --help` | {help_s * 1000:.0f} ms | {help_s / bare:.1f}x |")
    print(f"| `reverie import --help` | {import_help_s * 1000:.0f} ms | {import_help_s / bare:.1f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
