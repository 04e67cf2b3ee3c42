"""NumPyro AutoNormal / AutoMultivariateNormal on the six peer models, against the NUTS references.

Same settings as the shared harness's bench/numpyro_bench.py (run_svi): the
harness's own numpyro_model(d) and data, SVI(model, guide, Adam(0.01),
Trace_ELBO(num_particles=1)), float64, CPU, one thread, PRNGKey(seed) for init,
the steps run as a jitted lax.scan compiled ahead of time.  The only change: the
10000 steps run as 20 calls of one compiled 500-step scan, so that the fit can be
checked against the reference after every 500 steps (that check is not timed).

At each checkpoint: 1000 draws from the guide (Predictive, PRNGKey(seed + 11) as
the harness), constrained scale; deterministic sites (eight schools' theta) come
from Predictive, stochvol's h is recomputed from the draws with Stan's recursion.
Then max z = max |mean - ref mean| / ref sd and sd / ref sd over every parameter
of bench/peers/reference/<m>.json.

  PEERS_VENV=../peers-venv PEERS_BUILD=../peers-build bench/peers/run_numpyro_vi.sh [models] [--seeds 1]

Writes bench/peers/numpyro_vi.json (merged per model).
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")

PEERS = Path(os.environ.get("PEERS_DIR", Path(__file__).resolve().parents[3] / "shared/peers"))
sys.path.insert(0, str(PEERS / "bench"))
import common  # noqa: E402

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)
import numpy as np  # noqa: E402
import numpyro  # noqa: E402
from numpyro import optim  # noqa: E402
from numpyro.infer import SVI, Predictive, Trace_ELBO  # noqa: E402
from numpyro.infer.autoguide import AutoMultivariateNormal, AutoNormal  # noqa: E402

HERE = Path(__file__).resolve().parent
REF = HERE / "reference"
OUT = HERE / "numpyro_vi.json"
GUIDES = {"AutoNormal": AutoNormal, "AutoMultivariateNormal": AutoMultivariateNormal}


def flat_draws(draws, name):
    """dict site -> (S, ...) array  ->  dict Stan name -> (S,) array."""
    out = {}
    for site, a in draws.items():
        a = np.asarray(a)
        if a.ndim == 1:
            out[site] = a
        else:
            a = a.reshape(a.shape[0], -1)
            for i in range(a.shape[1]):
                out[f"{site}[{i + 1}]"] = a[:, i]
    if name == "stochvol" and "h_std" in draws:
        mu, phi, sigma = (np.asarray(draws[k]) for k in ("mu", "phi", "sigma"))
        z = np.asarray(draws["h_std"])
        h = np.empty_like(z)
        h[:, 0] = mu + sigma * z[:, 0] / np.sqrt(1 - phi ** 2)
        for t in range(1, z.shape[1]):
            h[:, t] = mu + phi * (h[:, t - 1] - mu) + sigma * z[:, t]
        for i in range(h.shape[1]):
            out[f"h[{i + 1}]"] = h[:, i]
    return out


def compare(fd, ref):
    worst, ratios, missing = (0.0, None), [], []
    for p in ref["parameters"]:
        a = fd.get(p["name"])
        if a is None:
            missing.append(p["name"])
            continue
        z = abs(float(np.mean(a)) - p["mean"]) / p["sd"]
        if z > worst[0] or worst[1] is None:
            worst = (z, p["name"])
        ratios.append(float(np.std(a, ddof=1)) / p["sd"])
    return {"max_z": worst[0], "max_z_param": worst[1], "sd_ratio_min": min(ratios),
            "sd_ratio_max": max(ratios), "n_missing": len(missing)}


def run(name, guide_name, seed, iters, chunk, lr, out_samples):
    mod = common.models.load(name)
    d = common.load_data(name)
    model = mod.numpyro_model(d)
    ref = json.loads((REF / f"{name}.json").read_text())
    guide = GUIDES[guide_name](model)
    svi = SVI(model, guide, optim.Adam(lr), Trace_ELBO(num_particles=1))
    t0 = time.perf_counter()
    state = svi.init(jax.random.PRNGKey(seed))
    init_s = time.perf_counter() - t0

    def run_steps(s):
        return jax.lax.scan(lambda c, _: svi.update(c), s, None, length=chunk)

    t0 = time.perf_counter()
    compiled = jax.jit(run_steps).lower(state).compile()
    compile_s = time.perf_counter() - t0
    sites = sorted({p["name"].split("[")[0] for p in ref["parameters"]} | {"mu", "phi", "sigma", "h_std"})
    run_s, done, checkpoints, losses_all = 0.0, 0, [], []
    reached = None
    while done < iters:
        t0 = time.perf_counter()
        state, losses = compiled(state)
        losses.block_until_ready()
        run_s += time.perf_counter() - t0
        done += chunk
        losses_all.append(np.asarray(losses))
        params = svi.get_params(state)
        pred = Predictive(model, guide=guide, params=params, num_samples=out_samples,
                          return_sites=[s for s in sites])
        draws = {k: np.asarray(v) for k, v in pred(jax.random.PRNGKey(seed + 11)).items()}
        c = compare(flat_draws(draws, name), ref)
        c.update({"steps": done, "seconds": init_s + compile_s + run_s,
                  "elbo_window_mean": float(-np.mean(losses_all[-1]))})
        checkpoints.append(c)
        ok = c["max_z"] < 0.25 and 1 / 1.3 <= c["sd_ratio_min"] and c["sd_ratio_max"] <= 1.3
        if ok and reached is None:
            reached = c
        elif not ok:
            reached = None  # must hold from that checkpoint to the end
    params = svi.get_params(state)
    elbo_est = Trace_ELBO(num_particles=1000)
    final_loss = float(jax.jit(lambda p, k: elbo_est.loss(k, p, model, guide))(params, jax.random.PRNGKey(seed + 7)))
    final = checkpoints[-1]
    return {
        "guide": guide_name, "seed": seed, "lr": lr, "iters": iters, "num_particles": 1,
        "gradient_evals": iters * 1, "init_s": init_s, "compile_s": compile_s, "run_s": run_s,
        "wall_s": init_s + compile_s + run_s,
        "elbo_final": -final_loss, "elbo_final_stan_conv": -final_loss - mod.LOG2_TERMS * np.log(2.0),
        "final": final, "checkpoints": checkpoints,
        "target_reached_at": ({"steps": reached["steps"], "gradient_evals": reached["steps"],
                               "seconds": reached["seconds"]} if reached else None),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("models", nargs="?", default=",".join(common.models.MODEL_NAMES))
    ap.add_argument("--seeds", default="1")
    ap.add_argument("--iter", type=int, default=10000)
    ap.add_argument("--chunk", type=int, default=500)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--output-samples", type=int, default=1000)
    a = ap.parse_args()
    res = json.loads(OUT.read_text()) if OUT.exists() else {"runs": {}}
    res.update({"numpyro_version": numpyro.__version__, "jax_version": jax.__version__,
                "settings": {"optim": f"Adam({a.lr})", "loss": "Trace_ELBO(num_particles=1)",
                             "iter": a.iter, "chunk": a.chunk, "output_samples": a.output_samples,
                             "target": "max z < 0.25 and 1/1.3 <= sd ratio <= 1.3, held to the end"}})
    for name in a.models.split(","):
        for g in GUIDES:
            for seed in [int(s) for s in a.seeds.split(",")]:
                key = f"{name}/{g}/{seed}"
                try:
                    r = run(name, g, seed, a.iter, a.chunk, a.lr, a.output_samples)
                except Exception as e:  # noqa: BLE001
                    r = {"error": repr(e)[:800]}
                    print(f"[numpyro] {key}: ERROR {r['error']}", flush=True)
                else:
                    f = r["final"]
                    print(f"[numpyro] {key}: {r['wall_s']:.1f}s (compile {r['compile_s']:.1f}) "
                          f"z={f['max_z']:.3f} ({f['max_z_param']}) sd {f['sd_ratio_min']:.2f}-{f['sd_ratio_max']:.2f} "
                          f"reached={r['target_reached_at']}", flush=True)
                res["runs"][key] = r
                OUT.write_text(json.dumps(res, indent=1) + "\n")


if __name__ == "__main__":
    main()
