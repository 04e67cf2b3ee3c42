"""Run vppl on the six peer models: seeds 1,2,3, default method and --algorithm meanfield.

  nice -n 19 python3 bench/peers/vppl_runs.py [model,model] [--threads N]

For each run: `vppl run examples/peers/<m>/model.vppl --seed S [--algorithm meanfield]
--threads 1 --output TMP.csv --summary-json TMP.json`, wall seconds of the whole
process (parse + compile + fit + 1000 draws + writing), the summary JSON and the
counts printed on stdout ("N gradient and M log density evaluations, T seconds").
--threads 1 because every peer runs single-threaded; vppl's result does not
depend on the thread count.  Writes bench/peers/vppl_runs.json (merged) and the full output of each run to
bench/peers/logs/vppl/<m>_<variant>_<seed>.txt.
"""
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
VPPL = REPO / "target" / "release" / "vppl"
OUT = HERE / "vppl_runs.json"
LOGS = HERE / "logs" / "vppl"
MODELS = ["linreg", "logistic", "eight_schools_nc", "hier_poisson", "stochvol", "gmm"]
SEEDS = [1, 2, 3]
VARIANTS = {"default": [], "meanfield": ["--algorithm", "meanfield"]}
COUNTS = re.compile(r"(\d+) gradient and (\d+) log density evaluations, ([0-9.eE+-]+) seconds")


def main():
    args = [a for a in sys.argv[1:]]
    threads = "1"
    if "--threads" in args:
        i = args.index("--threads")
        threads = args[i + 1]
        del args[i:i + 2]
    models = args[0].split(",") if args else MODELS
    if not VPPL.exists():
        sys.exit(f"{VPPL} is missing")
    res = json.loads(OUT.read_text()) if OUT.exists() else {"runs": {}}
    res["vppl"] = str(VPPL)
    res["threads"] = threads
    tmp = Path(tempfile.mkdtemp(prefix="vppl_peers_"))
    for m in models:
        model = REPO / "examples" / "peers" / m / "model.vppl"
        for var, extra in VARIANTS.items():
            for s in SEEDS:
                csv, js = tmp / f"{m}_{var}_{s}.csv", tmp / f"{m}_{var}_{s}.json"
                cmd = ["nice", "-n", "19", str(VPPL), "run", str(model.relative_to(REPO)), "--seed", str(s),
                       *extra, "--threads", threads, "--output", str(csv), "--summary-json", str(js)]
                t0 = time.perf_counter()
                r = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
                wall = time.perf_counter() - t0
                key = f"{m}/{var}/{s}"
                LOGS.mkdir(parents=True, exist_ok=True)
                (LOGS / f"{m}_{var}_{s}.txt").write_text("$ " + " ".join(cmd[3:]) + "\n" + r.stdout + r.stderr)
                if r.returncode != 0:
                    res["runs"][key] = {"error": (r.stderr or r.stdout)[-800:], "wall_s": wall,
                                        "cmd": " ".join(cmd[3:])}
                    print(f"[vppl] {key}: FAILED {r.stderr[-300:]}", flush=True)
                    continue
                summ = json.loads(js.read_text())
                mc = COUNTS.search(r.stdout + r.stderr)
                rec = {"wall_s": wall, "cmd": " ".join(cmd[3:]), **summ}
                if mc:
                    rec["gradient_evals_stdout"] = int(mc.group(1))
                    rec["log_density_evals"] = int(mc.group(2))
                    rec["fit_s"] = float(mc.group(3))
                rec["stdout_tail"] = "\n".join(
                    ln for ln in (r.stdout + r.stderr).splitlines()[:12] if ln.strip())
                res["runs"][key] = rec
                print(f"[vppl] {key}: {wall:.2f}s grads={summ.get('gradient_evals')} "
                      f"elbo={summ.get('elbo'):.3f} khat={summ.get('khat')}", flush=True)
                OUT.write_text(json.dumps(res, indent=1) + "\n")


if __name__ == "__main__":
    main()
