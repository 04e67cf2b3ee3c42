#!/usr/bin/env python3
"""vppl's ADVI on every posteriordb example against the reference posterior.

Usage: python3 bench/accuracy.py [--algorithms meanfield,fullrank] [--seed 1] > table.md
Needs the release binary (cargo build --release) and ../shared/posteriordb beside the repo.
For each posterior: max over reference parameters of |mean - ref_mean| / ref_sd, the range of
sd / ref_sd, the final ELBO, iterations, and wall seconds of the whole `vppl run` (compile
included). Settings are CmdStan's defaults unless given.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PDB = os.path.join(os.path.dirname(ROOT), "shared", "posteriordb")
VPPL = os.path.join(ROOT, "target", "release", "vppl")


def run(name, algorithm, seed, extra):
    model = os.path.join(ROOT, "examples", name, "model.vppl")
    with tempfile.TemporaryDirectory() as tmp:
        summary = os.path.join(tmp, "s.json")
        cmd = [VPPL, "run", model, "--algorithm", algorithm, "--seed", str(seed),
               "--output", os.path.join(tmp, "o.csv"), "--summary-json", summary] + extra
        start = time.time()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        seconds = time.time() - start
        if proc.returncode != 0:
            first = (proc.stderr.strip().splitlines() or ["?"])[0]
            return None, seconds, first
        with open(summary) as f:
            return json.load(f), seconds, ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--algorithms", default="meanfield,fullrank")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("extra", nargs="*")
    args = ap.parse_args()
    print("| posterior | algo | z max (param) | sd ratio min–max | ELBO | iters | s | note |")
    print("|---|---|---|---|---|---|---|---|")
    for name in sorted(os.listdir(PDB)):
        ref_path = os.path.join(PDB, name, "reference.json")
        if not os.path.isfile(ref_path):
            continue
        with open(ref_path) as f:
            ref = json.load(f)
        for algo in args.algorithms.split(","):
            fit, seconds, err = run(name, algo, args.seed, args.extra)
            if fit is None:
                print(f"| {name} | {algo} | — | — | — | — | {seconds:.2f} | failed: {err} |")
                continue
            zs, ratios = [], []
            for p in ref["parameters"]:
                got = fit["parameters"].get(p["name"])
                if got is None:
                    continue
                zs.append((abs(got["mean"] - p["mean"]) / p["sd"], p["name"]))
                ratios.append(got["sd"] / p["sd"])
            z, zname = max(zs)
            note = "converged" if fit["converged"] else "max_iter"
            print(f"| {name} | {algo} | {z:.2f} ({zname}) | {min(ratios):.2f}–{max(ratios):.2f} | "
                  f"{fit['elbo']:.6g} | {fit['iterations']} | {seconds:.2f} | {note} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
