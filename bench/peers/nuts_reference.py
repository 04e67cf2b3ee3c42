"""Reference posteriors for the six peer models from Stan's NUTS.

Builds bench/peers/nuts_driver.cpp with the flags and httpstan-wheel headers of
the shared peers harness (../shared/peers/bench/stan_bench.py) and links it
with the model objects the harness already built ($PEERS_BUILD/stan/<m>/model.o;
they are rebuilt through the harness's own build_model if missing). Then, per
model: 4 chains x (1000 warmup + 2000 draws), seed 1, chain ids 1..4 (CmdStan's
defaults: diag_e metric, adapt delta 0.8, max depth 10, init radius 2), two
chains at a time.

Writes bench/peers/reference/<model>.json:
  {"parameters": [{"name": "beta[1]", "mean": ..., "sd": ..., "rhat": ...,
                   "ess_bulk": ...}, ...],
   "sampler": {...}, "diagnostics": {...}}
(mean/sd over the 8000 pooled draws, constrained scale, transformed parameters
included, Stan display names).

  PEERS_VENV=../peers-venv PEERS_BUILD=../peers-build bench/peers/run_nuts_reference.sh [m1,m2]
"""
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

PEERS = Path(os.environ.get("PEERS_DIR", Path(__file__).resolve().parents[3] / "shared/peers"))
sys.path.insert(0, str(PEERS / "bench"))
import common  # noqa: E402
import stan_bench as sb  # noqa: E402

HERE = Path(__file__).resolve().parent
OUT = HERE / "reference"
NUTS_BUILD = sb.BUILD_DIR / "nuts"
SETTINGS = {"chains": 4, "num_warmup": 1000, "num_samples": 2000, "seed": int(os.environ.get("NUTS_SEED", "1")),
            "delta": float(os.environ.get("NUTS_DELTA", "0.8")), "max_depth": 10, "init_radius": 2,
            "metric": "diag_e"}
PAR = int(os.environ.get("NUTS_PARALLEL", "2"))


def build():
    NUTS_BUILD.mkdir(parents=True, exist_ok=True)
    src = HERE / "nuts_driver.cpp"
    obj = NUTS_BUILD / "nuts_driver.o"
    if not obj.exists() or obj.stat().st_mtime < src.stat().st_mtime:
        sb.run([sb.CXX, *sb.CXXFLAGS, "-c", src, "-o", obj])
    return obj


def link(name, obj):
    mo = sb.STAN_BUILD / name / "model.o"
    if not mo.exists():
        drv = sb.build_driver(False)
        sb.build_model(name, drv["key"], False)
    exe = NUTS_BUILD / name / "nuts"
    exe.parent.mkdir(parents=True, exist_ok=True)
    if not exe.exists() or exe.stat().st_mtime < max(obj.stat().st_mtime, mo.stat().st_mtime):
        sb.run([sb.CXX, obj, mo, "-o", exe, *sb.LDFLAGS])
    return exe


def read_csv(path):
    header, rows, step, inv_metric = None, [], None, None
    lines = Path(path).read_text().splitlines()
    for i, line in enumerate(lines):
        if not line:
            continue
        if line.startswith("#"):
            if "Step size =" in line:
                step = float(line.split("=")[1])
            if "Diagonal elements of inverse mass matrix" in line:
                inv_metric = [float(v) for v in lines[i + 1].lstrip("# ").split(",")]
            continue
        if header is None:
            header = line.split(",")
            continue
        rows.append([float(v) for v in line.split(",")])
    return header, np.asarray(rows), step, inv_metric


def stan_name(col):
    parts = col.split(".")
    return parts[0] if len(parts) == 1 else f"{parts[0]}[{','.join(parts[1:])}]"


def split_rhat(x):
    """x: (chains, draws). Split-R-hat (Gelman et al. BDA3), not rank-normalised."""
    c, n = x.shape
    h = n // 2
    s = np.concatenate([x[:, :h], x[:, h:2 * h]], axis=0)
    m, n2 = s.shape
    means = s.mean(axis=1)
    w = s.var(axis=1, ddof=1).mean()
    b = n2 * means.var(ddof=1)
    if w == 0:
        return float("nan")
    var = (n2 - 1) / n2 * w + b / n2
    return float(np.sqrt(var / w))


def ess(x):
    """Multi-chain ESS (Stan's autocovariance estimator, Geyer initial monotone)."""
    c, n = x.shape
    acov = []
    for ch in x:
        y = ch - ch.mean()
        f = np.fft.rfft(y, 2 * n)
        ac = np.fft.irfft(f * np.conj(f))[:n] / n
        acov.append(ac)
    acov = np.asarray(acov)
    chain_var = acov[:, 0] * n / (n - 1)
    w = chain_var.mean()
    b_over_n = x.mean(axis=1).var(ddof=1) if c > 1 else 0.0
    var_plus = w * (n - 1) / n + b_over_n
    if var_plus <= 0:
        return float("nan")
    rho = 1 - (w - acov.mean(axis=0)) / var_plus
    rho[0] = 1.0
    t = 0
    s = 0.0
    prev = np.inf
    while t + 1 < n:
        p = rho[t] + rho[t + 1]
        if p < 0:
            break
        p = min(p, prev)
        s += p
        prev = p
        t += 2
    tau = -1 + 2 * s
    return float(c * n / max(tau, 1.0 / np.log10(c * n)))


def run_model(name, exe):
    data = common.data_path(name)
    d = NUTS_BUILD / name
    cmds = []
    for ch in range(1, SETTINGS["chains"] + 1):
        cmds.append([str(exe), "nuts", f"data={data}", f"out={d / f'chain{ch}'}",
                     f"seed={SETTINGS['seed']}", f"chain={ch}",
                     f"num_warmup={SETTINGS['num_warmup']}", f"num_samples={SETTINGS['num_samples']}",
                     f"delta={SETTINGS['delta']}", f"max_depth={SETTINGS['max_depth']}",
                     f"init_radius={SETTINGS['init_radius']}", "save_warmup=1"])

    def one(cmd):
        t0 = time.perf_counter()
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"{cmd}: {r.stderr[-500:]}")
        return time.perf_counter() - t0

    t0 = time.perf_counter()
    with ThreadPoolExecutor(PAR) as ex:
        walls = list(ex.map(one, cmds))
    wall = time.perf_counter() - t0
    nw = SETTINGS["num_warmup"]
    chains, steps, leap_w, leap_s, div, tdmax = [], [], 0, 0, 0, 0
    header = None
    for ch in range(1, SETTINGS["chains"] + 1):
        header, arr, step, _ = read_csv(d / f"chain{ch}.csv")
        assert arr.shape[0] == nw + SETTINGS["num_samples"], arr.shape
        hi = {h: j for j, h in enumerate(header)}
        leap_w += int(arr[:nw, hi["n_leapfrog__"]].sum())
        post = arr[nw:]
        leap_s += int(post[:, hi["n_leapfrog__"]].sum())
        div += int(post[:, hi["divergent__"]].sum())
        tdmax += int((post[:, hi["treedepth__"]] >= SETTINGS["max_depth"]).sum())
        steps.append(step)
        chains.append(post)
    x = np.stack(chains)  # (chains, draws, cols)
    params = []
    rhat_max, ess_min = 0.0, np.inf
    for j, h in enumerate(header):
        if h.endswith("__"):
            continue
        xs = x[:, :, j]
        flat = xs.reshape(-1)
        sd = float(np.std(flat, ddof=1))
        rh = split_rhat(xs) if sd > 0 else float("nan")
        es = ess(xs) if sd > 0 else float("nan")
        if np.isfinite(rh):
            rhat_max = max(rhat_max, rh)
        if np.isfinite(es):
            ess_min = min(ess_min, es)
        params.append({"name": stan_name(h), "mean": float(flat.mean()), "sd": sd,
                       "rhat": rh, "ess_bulk": es})
    return {
        "model": name,
        "data": f"examples/peers/{name}/data.json",
        "parameters": params,
        "sampler": dict(SETTINGS, stan="stan::services::sample::hmc_nuts_diag_e_adapt (httpstan "
                        + sb.httpstan.__version__ + " wheel)"),
        "diagnostics": {"divergent": div, "max_treedepth_hits": tdmax, "stepsizes": steps,
                        "rhat_max": rhat_max, "ess_min": ess_min,
                        "n_leapfrog_warmup": leap_w, "n_leapfrog_sampling": leap_s,
                        "wall_s": wall, "chain_wall_s": walls, "parallel_chains": PAR},
    }


def main():
    models = sys.argv[1].split(",") if len(sys.argv) > 1 else common.models.MODEL_NAMES
    common.write_all_data()
    obj = build()
    OUT.mkdir(parents=True, exist_ok=True)
    for name in models:
        exe = link(name, obj)
        print(f"[nuts] {name}", flush=True)
        r = run_model(name, exe)
        dg = r["diagnostics"]
        print(f"[nuts] {name}: {dg['wall_s']:.1f}s div={dg['divergent']} rhat_max={dg['rhat_max']:.4f} "
              f"ess_min={dg['ess_min']:.0f}", flush=True)
        suffix = os.environ.get("NUTS_SUFFIX", "")
        (OUT / f"{name}{suffix}.json").write_text(json.dumps(r, indent=1) + "\n")


if __name__ == "__main__":
    main()
