"""Build bench/peers/vi_comparison.md from the result files in bench/peers/.

  python3 bench/peers/compare.py            (plain python3, no third-party modules)

Inputs: reference/<m>.json (NUTS), vppl_runs.json, stan_advi_defaults.json (seed 1),
stan_advi_seeds.json (seeds 2,3; optional), numpyro_vi.json, the Stan ADVI logs in
$PEERS_BUILD/stan/<m>/defaults_<algo>[_seedS].log (eta candidates tried) and the
build.json files there (g++ time).

Per system/family/model, over its seeds: max z = max over every reference
parameter (transformed parameters included) of |mean - ref mean| / ref sd; the
range of sd / ref sd; "target" = every mean within 0.25 sd and every sd within a
factor 1.3 (BENCHMARKS.md's criterion) on every seed.

Gradient evaluations:
  vppl       the summary's gradient_evals (whole run, Pathfinder included); log
             density evaluations from its stdout line.
  Stan ADVI  50 x (eta candidates tried) + iterations (grad_samples = 1);
             log density evaluations 100 x (1 + candidates) + 100 x iterations/100
             + 1000 (log_p__ of the output draws).
  NumPyro    steps x num_particles (1); the final 1000-particle ELBO and the
             draws are not counted.
"""
import json
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Beside the project's folder by default, as in env.sh.
BUILD = Path(os.environ.get("PEERS_BUILD", HERE.parents[2] / "peers-build"))
MODELS = ["linreg", "logistic", "eight_schools_nc", "hier_poisson", "stochvol", "gmm"]
ZT, RT = 0.25, 1.3


def load(p):
    p = HERE / p
    return json.loads(p.read_text()) if p.exists() else None


def stan_name(n):
    parts = n.split(".")
    return parts[0] if len(parts) == 1 else f"{parts[0]}[{','.join(parts[1:])}]"


def compare(mom, ref):
    """mom: name -> (mean, sd)."""
    worst, ratios, missing = (0.0, "-"), [], 0
    for p in ref["parameters"]:
        if p["name"] not in mom:
            missing += 1
            continue
        m, s = mom[p["name"]]
        z = abs(m - p["mean"]) / p["sd"]
        if z >= worst[0]:
            worst = (z, p["name"])
        ratios.append(s / p["sd"])
    return {"z": worst[0], "zp": worst[1], "rmin": min(ratios), "rmax": max(ratios), "missing": missing}


def ok(c):
    return c["z"] < ZT and 1 / RT <= c["rmin"] and c["rmax"] <= RT


def agg(cs):
    """Combine per-seed comparisons."""
    w = max(cs, key=lambda c: c["z"])
    return {"z": w["z"], "zp": w["zp"], "rmin": min(c["rmin"] for c in cs),
            "rmax": max(c["rmax"] for c in cs), "pass": sum(ok(c) for c in cs), "n": len(cs),
            "missing": max(c["missing"] for c in cs)}


def mean(xs):
    xs = [x for x in xs if x is not None]
    return sum(xs) / len(xs) if xs else None


def eta_candidates(log_path):
    if not log_path.exists():
        return None
    its = [int(ln.split(":")[1].split("/")[0]) for ln in log_path.read_text().splitlines()
           if ln.startswith("Iteration:") and "(Adaptation)" in ln]
    return -(-max(its) // 50) if its else None


def fmt(x, nd=2):
    if x is None:
        return "—"
    if isinstance(x, int) or (isinstance(x, float) and x.is_integer() and abs(x) >= 100):
        return f"{int(round(x)):,}"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.{nd}f}"


def secs(x):
    if x is None:
        return "—"
    return f"{x:.3f}" if x < 0.1 else (f"{x:.2f}" if x < 10 else f"{x:.1f}")


def main():
    refs = {m: load(f"reference/{m}.json") for m in MODELS}
    vp = load("vppl_runs.json") or {"runs": {}}
    sa1 = load("stan_advi_defaults.json") or {"models": {}}
    sas = load("stan_advi_seeds.json") or {"models": {}}
    npy = load("numpyro_vi.json") or {"runs": {}}
    rows = {m: [] for m in MODELS}
    for m in MODELS:
        ref = refs[m]
        if ref is None:
            continue
        # vppl
        for var, fam in (("default", "full-rank (default)"), ("meanfield", "mean-field")):
            runs = [vp["runs"].get(f"{m}/{var}/{s}") for s in (1, 2, 3)]
            runs = [r for r in runs if r is not None]
            good = [r for r in runs if "error" not in r]
            cs = [compare({k: (v["mean"], v["sd"]) for k, v in r["parameters"].items()}, ref) for r in good]
            row = {"system": "vppl", "family": fam, "seeds": len(runs),
                   "grads": mean([r.get("gradient_evals") for r in good]),
                   "lps": mean([r.get("log_density_evals") for r in good]),
                   "secs": mean([r["wall_s"] for r in good]),
                   "compile": mean([r.get("compile_ms", 0) / 1000 for r in good]),
                   "khat": max([r.get("khat") or 0 for r in good], default=None),
                   "failed": len(runs) - len(good)}
            if cs:
                row.update(agg(cs))
                row["n"] = len(runs)
            rows[m].append(row)
        # Stan ADVI
        build = BUILD / "stan" / m / "build.json"
        cxx = json.loads(build.read_text()).get("cxx_s") if build.exists() else None
        for algo in ("meanfield", "fullrank"):
            runs = []
            r1 = sa1["models"].get(m, {}).get(algo)
            if r1:
                r1 = dict(r1, eta_candidates=eta_candidates(BUILD / "stan" / m / f"defaults_{algo}.log"))
                runs.append(r1)
            for s, r in sorted(sas["models"].get(m, {}).get(algo, {}).items()):
                runs.append(r)
            good = [r for r in runs if "error" not in r]
            cs, grads, lps = [], [], []
            for r in good:
                names = [stan_name(n) for n in r["names"]]
                cs.append(compare({n: (mu, sd) for n, mu, sd in zip(names, r["mean"], r["sd"])}, ref))
                k = r.get("eta_candidates") or 0
                grads.append(50 * k + r["iters"])
                lps.append(100 * (1 + k) + r["iters"] + 1000)
            row = {"system": "Stan ADVI", "family": algo, "seeds": len(runs), "grads": mean(grads),
                   "lps": mean(lps), "secs": mean([r["wall_s"] for r in good]), "compile": cxx,
                   "failed": len(runs) - len(good),
                   "iters": "/".join(str(r["iters"]) for r in good)}
            if cs:
                row.update(agg(cs))
                row["n"] = len(runs)
            rows[m].append(row)
        # NumPyro
        for g, fam in (("AutoNormal", "AutoNormal"), ("AutoMultivariateNormal", "AutoMultivariateNormal")):
            runs = [v for k, v in npy["runs"].items() if k.startswith(f"{m}/{g}/")]
            good = [r for r in runs if "error" not in r]
            cs = [{"z": r["final"]["max_z"], "zp": r["final"]["max_z_param"], "rmin": r["final"]["sd_ratio_min"],
                   "rmax": r["final"]["sd_ratio_max"], "missing": r["final"]["n_missing"]} for r in good]
            reach = [r["target_reached_at"] for r in good]
            row = {"system": "NumPyro", "family": fam, "seeds": len(runs),
                   "grads": mean([r["gradient_evals"] for r in good]), "lps": None,
                   "secs": mean([r["wall_s"] for r in good]), "compile": mean([r["compile_s"] for r in good]),
                   "failed": len(runs) - len(good),
                   "reach_grads": mean([x["gradient_evals"] for x in reach if x]) if all(reach) and reach else None,
                   "reach_secs": mean([x["seconds"] for x in reach if x]) if all(reach) and reach else None}
            if cs:
                row.update(agg(cs))
                row["n"] = len(runs)
            rows[m].append(row)
    return rows


def render(rows):
    out = []
    out.append("| model | system | family | seeds | max z (param) | sd ratio min–max | target met | "
               "gradient evals | log-density evals | seconds | compile s |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|")
    for m in MODELS:
        for r in rows[m]:
            if "z" not in r:
                out.append(f"| {m} | {r['system']} | {r['family']} | {r['seeds']} | failed | — | 0/{r['seeds']} | — | — | — | — |")
                continue
            tgt = f"{r['pass']}/{r['n']}" + (" ✓" if r["pass"] == r["n"] else "")
            z = f"{r['z']:.2f} ({r['zp']})"
            if r.get("missing"):
                z += f" [{r['missing']} ref. params not reported]"
            fail = f" ({r['failed']} failed)" if r.get("failed") else ""
            out.append(f"| {m} | {r['system']} | {r['family']} | {r['seeds']}{fail} | {z} | "
                       f"{r['rmin']:.2f}–{r['rmax']:.2f} | {tgt} | {fmt(r['grads'])} | {fmt(r['lps'])} | "
                       f"{secs(r['secs'])} | {secs(r['compile'])} |")
    return "\n".join(out)


if __name__ == "__main__":
    rows = main()
    print(render(rows))
    (HERE / "vi_comparison_rows.json").write_text(json.dumps(rows, indent=1) + "\n")
