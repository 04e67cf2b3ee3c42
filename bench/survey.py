"""Runs vppl over a folder of Stan programs: does each compile, and does its gradient match
finite differences on its data?

    python3 bench/survey.py MODELS_DIR [--data DATA_DIR] [--vppl PATH]

For each MODELS_DIR/NAME.stan: `vppl check` (compiles: no error and no "not supported yet"),
then, when DATA_DIR/NAME.json exists, `vppl diagnose --json` at the default random point: the
log density and the worst relative difference between the gradient and central finite
differences. Prints one line per program and a summary; exits 1 if any program does not compile.

This is how posteriordb's models were surveyed (every one of its 120 programs, 147 posteriors,
compiles): posteriordb's Stan code cannot be copied into this repository, so point this script at
a checkout's `posterior_database/models/stan` (after bringing programs written in removed Stan
syntax up to date) and at their data, unzipped.
"""
import argparse
import json
import subprocess
import sys
from pathlib import Path


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("models", type=Path)
    ap.add_argument("--data", type=Path)
    ap.add_argument("--vppl", default=str(Path(__file__).resolve().parents[1] / "target/release/vppl"))
    a = ap.parse_args()
    programs = sorted(a.models.glob("*.stan"))
    if not programs:
        sys.exit(f"no .stan files in {a.models}")
    refused = 0
    for p in programs:
        check = subprocess.run([a.vppl, "check", str(p)], capture_output=True, text=True)
        text = check.stdout + check.stderr
        if check.returncode != 0 or "E1099" in text:
            refused += 1
            first = next((l for l in text.splitlines() if "Error" in l or "E1099" in l), text.strip()[:120])
            print(f"{p.stem:45} REFUSED  {first.strip()}")
            continue
        data = a.data / f"{p.stem}.json" if a.data else None
        if not data or not data.is_file():
            print(f"{p.stem:45} compiles (no data)")
            continue
        d = subprocess.run([a.vppl, "diagnose", str(p), "--data", str(data), "--json"], capture_output=True, text=True)
        if d.returncode != 0:
            last = (d.stderr.strip().splitlines() or ["?"])[-1]
            print(f"{p.stem:45} compiles; evaluation failed: {last[:100]}")
            continue
        r = json.loads(d.stdout)
        pairs = [(g, f) for g, f in zip(r["gradient"], r["finite_differences"]) if g is not None and f is not None]
        worst = max((abs(g - f) / max(1.0, abs(f)) for g, f in pairs), default=0.0)
        print(f"{p.stem:45} compiles; lp {r['log_density']:.6g}, gradient vs finite differences {worst:.1e}")
    print(f"{len(programs) - refused} of {len(programs)} programs compile")
    sys.exit(1 if refused else 0)


if __name__ == "__main__":
    main()
