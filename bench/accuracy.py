#!/usr/bin/env python3
"""vppl's fit of every posteriordb example against the reference posterior.

Usage: python3 bench/accuracy.py [--seeds 1,2,3] [--label NAME] [-- extra vppl run options]
e.g.   python3 bench/accuracy.py --label default
       python3 bench/accuracy.py --label meanfield -- --algorithm meanfield
       python3 bench/accuracy.py --label stan-compatible --seeds 1 -- --stan-compatible
Needs the release binary (cargo build --release) and ../shared/posteriordb beside the repo.
Per posterior, over the seeds: the largest |mean - ref_mean| / ref_sd, the range of
sd / ref_sd, the largest k-hat, the ELBO of the first seed, mean gradient evaluations (when the
method reports them) and mean wall seconds of the whole `vppl run` (compile included). A
posterior passes when every mean is within 0.25 sd and every sd within a factor 1.3 on every
seed; "means" counts those where only the means are required.
"""
import argparse
import json
import os
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PDB = os.path.join(os.path.dirname(ROOT), "shared", "posteriordb")
VPPL = os.path.join(ROOT, "target", "release", "vppl")


def run(name, seed, extra):
    model = os.path.join(ROOT, "examples", name, "model.vppl")
    with tempfile.TemporaryDirectory() as tmp:
        summary = os.path.join(tmp, "s.json")
        cmd = [VPPL, "run", model, "--seed", str(seed), "--output", os.path.join(tmp, "o.csv"),
               "--summary-json", summary] + extra
        start = time.time()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        seconds = time.time() - start
        if proc.returncode != 0:
            lines = proc.stderr.strip().splitlines() or ["?"]
            return None, seconds, lines[0][:100]
        with open(summary) as f:
            return json.load(f), seconds, ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--label", default="vppl")
    ap.add_argument("extra", nargs="*")
    args = ap.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    print(f"| posterior | method | max z (param) | sd ratio min–max | max k̂ | ELBO | gradients | s |")
    print("|---|---|---|---|---|---|---|---|")
    passed = means_passed = total = 0
    for name in sorted(os.listdir(PDB)):
        ref_path = os.path.join(PDB, name, "reference.json")
        if not os.path.isfile(ref_path):
            continue
        total += 1
        with open(ref_path) as f:
            ref = json.load(f)
        worst, ratios, khats, grads, secs, elbo, error = (0.0, "-"), [], [], [], [], None, ""
        for seed in seeds:
            fit, seconds, err = run(name, seed, args.extra)
            secs.append(seconds)
            if fit is None:
                error = err
                break
            if elbo is None:
                elbo = fit["elbo"]
            khats.append(fit.get("khat") or float("nan"))
            if fit.get("gradient_evals") is not None:
                grads.append(fit["gradient_evals"])
            for p in ref["parameters"]:
                got = fit["parameters"].get(p["name"])
                if got is None:
                    continue
                z = abs(got["mean"] - p["mean"]) / p["sd"]
                worst = max(worst, (z, p["name"]))
                ratios.append(got["sd"] / p["sd"])
        if error:
            print(f"| {name} | {args.label} | — | — | — | — | — | {sum(secs) / len(secs):.2f} | failed: {error}")
            continue
        ok_means = worst[0] < 0.25
        ok = ok_means and all(1 / 1.3 <= r <= 1.3 for r in ratios)
        passed += ok
        means_passed += ok_means
        g = f"{sum(grads) / len(grads):.0f}" if grads else "—"
        mark = " ✓" if ok else (" (means ✓)" if ok_means else "")
        print(f"| {name} | {args.label} | {worst[0]:.2f} ({worst[1]}){mark} | {min(ratios):.2f}–{max(ratios):.2f} | "
              f"{max(khats):.2f} | {elbo:.6g} | {g} | {sum(secs) / len(secs):.2f} |", flush=True)
    print(f"\n{args.label}: every mean within 0.25 sd and every sd within 1.3x on all seeds: "
          f"{passed}/{total}; every mean within 0.25 sd: {means_passed}/{total}")


if __name__ == "__main__":
    main()
