"""Stan ADVI with CmdStan's defaults for more seeds (seed 1 is in stan_advi_defaults.json).

Same driver, build and settings as stan_peers.py (ADVI_DEFAULTS), only the seed
changes.  Writes bench/peers/stan_advi_seeds.json: {"models": {m: {algo: {seed: run}}}}
with run as in stan_advi_defaults.json (draw moments, iters, eta, wall_s) plus
the number of eta candidates tried, read from the log.

  PEERS_VENV=../peers-venv PEERS_BUILD=../peers-build bench/peers/run_stan_advi_seeds.sh [models] [seeds]
"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import stan_peers as sp  # noqa: E402

OUT = Path(__file__).resolve().parent / "stan_advi_seeds.json"


def main():
    models = sys.argv[1].split(",") if len(sys.argv) > 1 and sys.argv[1] else sp.common.models.MODEL_NAMES
    seeds = [int(s) for s in (sys.argv[2] if len(sys.argv) > 2 else "2,3").split(",")]
    sp.common.write_all_data()
    drv = sp.sb.build_driver(False)
    out = json.loads(OUT.read_text()) if OUT.exists() else {"settings": sp.ADVI_DEFAULTS, "models": {}}
    for name in models:
        sp.sb.build_model(name, drv["key"], False)
        exe = sp.sb.STAN_BUILD / name / "model_exe"
        data = sp.common.data_path(name)
        for algo in ("meanfield", "fullrank"):
            for seed in seeds:
                opts = dict(sp.ADVI_DEFAULTS, seed=seed)
                prefix = sp.sb.STAN_BUILD / name / f"defaults_{algo}_seed{seed}"
                print(f"[stan] {name} {algo} seed {seed}", flush=True)
                r = sp.advi(exe, data, algo, prefix, opts)
                log = Path(f"{prefix}.log").read_text() if Path(f"{prefix}.log").exists() else ""
                its = [int(ln.split(":")[1].split("/")[0]) for ln in log.splitlines()
                       if ln.startswith("Iteration:") and "(Adaptation)" in ln]
                r["eta_candidates"] = -(-max(its) // 50) if its else None
                r.pop("elbo_trace", None)
                out["models"].setdefault(name, {}).setdefault(algo, {})[str(seed)] = r
                OUT.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
