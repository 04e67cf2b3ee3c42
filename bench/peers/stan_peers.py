"""Stan reference numbers for the six peer models, from the shared peers harness.

Uses ../shared/peers/bench/stan_bench.py's own build functions (stanc and
headers from the pip-installed httpstan wheel, the harness's stan_driver.cpp)
and then, for each model:

  * `grad` mode of the driver -> tests/fixtures/stan_gradients/<model>.json
    (unconstrained point, log_prob<false,true>, log_prob_grad<true,true> value
    and gradient, median microseconds per gradient; numbers printed by the
    driver with setprecision(17));
  * `advi` mode with CmdStan's defaults (iter=10000, tol_rel_obj=0.01,
    eval_elbo=100, grad_samples=1, elbo_samples=100, eta adaptation on with
    adapt_iter=50, output_samples=1000, seed=1) for meanfield and fullrank
    -> bench/peers/stan_advi_defaults.json.

Run with run_stan_peers.sh (sets PEERS_BUILD, the cache dirs and nice).
"""
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

PEERS = Path(os.environ.get("PEERS_DIR", Path(__file__).resolve().parents[3] / "shared/peers"))
sys.path.insert(0, str(PEERS / "bench"))
import common  # noqa: E402
import stan_bench as sb  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
FIX = REPO / "tests" / "fixtures" / "stan_gradients"
OUT = REPO / "bench" / "peers" / "stan_advi_defaults.json"

ADVI_DEFAULTS = {"iter": 10000, "grad_samples": 1, "elbo_samples": 100, "eta": 1.0,
                 "adapt_engaged": 1, "adapt_iter": 50, "tol_rel_obj": 0.01,
                 "eval_elbo": 100, "output_samples": 1000, "seed": 1}


def read_draws(path):
    """Parameter writer CSV -> (header, mean_row, draws)."""
    header, rows = None, []
    for line in Path(path).read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        if header is None:
            header = line.split(",")
            continue
        rows.append([float(v) for v in line.split(",")])
    arr = np.asarray(rows)
    return header, arr[0], arr[1:]


def advi(exe, data, algo, prefix, opts):
    cmd = [exe, "advi", f"data={data}", f"algo={algo}", f"out={prefix}"] + \
          [f"{k}={v}" for k, v in opts.items()]
    t0 = time.perf_counter()
    res = sb.subprocess.run([str(c) for c in cmd], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if res.returncode != 0:
        log_tail = ""
        if Path(f"{prefix}.log").exists():
            lines = [ln for ln in Path(f"{prefix}.log").read_text().splitlines() if ln.strip()]
            log_tail = lines[-1] if lines else ""
        return {"error": f"return code {res.returncode}: {log_tail} {res.stderr[-500:]}".strip(),
                "wall_s": wall, "cmd": " ".join(str(c) for c in cmd[1:])}
    info = json.loads(res.stdout.strip().splitlines()[-1])
    trace = sb.parse_elbo(f"{prefix}.elbo.csv")
    header, mean_row, draws = read_draws(f"{prefix}.draws.csv")
    log = Path(f"{prefix}.log").read_text()
    eta = None
    for line in log.splitlines():
        if "Found best value [eta =" in line:
            eta = float(line.split("eta =")[1].split("]")[0])
    skip = {"lp__", "log_p__", "log_g__"}
    cols = [j for j, h in enumerate(header) if h not in skip]
    if "MEAN ELBO CONVERGED" in log:
        conv = "mean_elbo_converged"
    elif "MEDIAN ELBO CONVERGED" in log:
        conv = "median_elbo_converged"
    elif "maximum number of iterations" in log.lower():
        conv = "max_iter"
    else:
        conv = "other"
    return {
        "wall_s": wall, "driver_total_s": info["total_s"], "eta": eta,
        "iters": trace[-1][0] if trace else None,
        "loop_s": trace[-1][1] if trace else None,
        "elbo_final": trace[-1][2] if trace else None,
        "elbo_trace": [[i, e] for i, _, e in trace],
        "converged": conv,
        "names": [header[j] for j in cols],
        # row 0 of the draws file is the mean of the approximation (constrained)
        "approx_mean_row": [float(mean_row[j]) for j in cols],
        # moments over the output_samples draws (constrained scale)
        "mean": [float(np.mean(draws[:, j])) for j in cols],
        "sd": [float(np.std(draws[:, j], ddof=1)) for j in cols],
        "cmd": " ".join(str(c) for c in cmd[1:]),
    }


def main():
    models = sys.argv[1].split(",") if len(sys.argv) > 1 else common.models.MODEL_NAMES
    common.write_all_data()
    drv = sb.build_driver(False)
    FIX.mkdir(parents=True, exist_ok=True)
    out = {"system": "stan (shared/peers stan_driver, httpstan " + sb.httpstan.__version__ + " wheel)",
           "stanc_version": sb.run([sb.STANC, "--version"]).stdout.strip(),
           "settings": ADVI_DEFAULTS, "models": {}}
    if OUT.exists():
        prev = json.loads(OUT.read_text())
        out["models"].update(prev.get("models", {}))
    for name in models:
        print(f"[stan] {name}: build", flush=True)
        b = sb.build_model(name, drv["key"], False)
        exe = sb.STAN_BUILD / name / "model_exe"
        data = common.data_path(name)
        print(f"[stan] {name}: grad", flush=True)
        g = json.loads(sb.run([exe, "grad", f"data={data}", "seed=1", "min_time=1"]).stdout)
        fix = {"model": name, "point": g["theta"], "unc_names": g["unc_names"],
               "log_prob_propto_false": g["lp_full"],
               "log_prob_propto_true": g["lp_propto"],
               "gradient": g["grad"], "grad_us": g["grad_us_median"],
               "lp_us": g["lp_us_median"],
               "notes": "point ~ U(-2,2) per coordinate (std::mt19937_64 seed 1) on the unconstrained "
                        "scale; log_prob_propto_false = model.log_prob<false,true> (double: all constants, "
                        "with Jacobian); log_prob_propto_true and gradient = "
                        "stan::model::log_prob_grad<true,true> (var: constants of ~ statements dropped, "
                        "with Jacobian; the gradient is the same for both); printed with "
                        "std::setprecision(17); grad_us/lp_us = median per-call microseconds.",
               "data": f"examples/peers/{name}/data.json",
               "stan": out["stanc_version"]}
        (FIX / f"{name}.json").write_text(json.dumps(fix, indent=1) + "\n")
        r = {"build": b, "grad_us": g["grad_us_median"]}
        for algo in ("meanfield", "fullrank"):
            print(f"[stan] {name}: advi {algo}", flush=True)
            r[algo] = advi(exe, data, algo, sb.STAN_BUILD / name / f"defaults_{algo}", ADVI_DEFAULTS)
        out["models"][name] = r
        OUT.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
