"""Stan's ADVI (CmdStan defaults) on the posteriordb examples in examples/.

Each examples/<posterior>/model.vppl is a Stan program.  It is built with the
same recipe as the shared peers harness: stanc from the httpstan wheel, g++
with the harness's flags and headers from the wheel, and a link against the
harness's driver object (bench/stan_driver.cpp), libtbb and the wheel's
Sundials libraries (needed for the ODE example).  Models are built one at a
time and cached under $PEERS_BUILD/posteriordb/<posterior>/.

Then `advi` with CmdStan's defaults (see stan_peers.ADVI_DEFAULTS), and the
draws are compared with ../shared/posteriordb/<posterior>/reference.json:
  z_max     = max over reference parameters of |mean_stan - ref_mean| / ref_sd
  sd_ratio  = [min, max] over reference parameters of sd_stan / ref_sd
where mean_stan and sd_stan are computed over the output_samples=1000 draws
of the approximation (constrained scale).

Writes bench/peers/stan_advi_posteriordb.json and .md.
"""
import json
import os
import re
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import stan_peers as sp  # noqa: E402  (imports the shared harness too)

sb = sp.sb
REPO = HERE.parents[1]
EX = REPO / "examples"
PDB = Path(os.environ.get("POSTERIORDB_DIR", Path(__file__).resolve().parents[3] / "shared/posteriordb"))
BUILD = sb.BUILD_DIR / "posteriordb"
OUT_JSON = HERE / "stan_advi_posteriordb.json"
OUT_MD = HERE / "stan_advi_posteriordb.md"
FIX = REPO / "tests" / "fixtures" / "stan_gradients" / "posteriordb"
GRAD_NOTES = ("point ~ U(-2,2) per coordinate (std::mt19937_64 seed 1) on the unconstrained scale; "
              "log_prob_propto_false = model.log_prob<false,true> (double: all constants, with Jacobian); "
              "log_prob_propto_true and gradient = stan::model::log_prob_grad<true,true> (var: constants "
              "of ~ statements dropped, with Jacobian); printed with std::setprecision(17); "
              "grad_us/lp_us = median per-call microseconds (0.3 s timing loops, nice 19, shared machine).")
LDFLAGS = [f"-L{sb.HS_DIR / 'lib'}", "-ltbb", "-lsundials_cvodes", "-lsundials_idas",
           "-lsundials_nvecserial", f"-Wl,-rpath,{sb.HS_DIR / 'lib'}"]


def build_program(code, d, cname, driver_key):
    """stanc, g++ and the link of one Stan program into d/model_exe; cached by the program's text."""
    d.mkdir(parents=True, exist_ok=True)
    key = sb.sha(code, driver_key, " ".join(LDFLAGS))
    meta, exe = d / "build.json", d / "model_exe"
    if meta.exists() and exe.exists():
        info = json.loads(meta.read_text())
        if info.get("key") == key:
            return dict(info, cached=True)
    (d / "model.stan").write_text(code)
    with sb.Timer() as t1:
        sb.run([sb.STANC, f"--name={cname}_model", f"--o={d / 'model.cpp'}", d / "model.stan"])
    with sb.Timer() as t2:
        sb.run([sb.CXX, *sb.CXXFLAGS, "-c", d / "model.cpp", "-o", d / "model.o"])
    with sb.Timer() as t3:
        sb.run([sb.CXX, sb.STAN_BUILD / "driver.o", d / "model.o", "-o", exe, *LDFLAGS])
    (d / "model.o").unlink()
    info = {"key": key, "stanc_s": t1.s, "cxx_s": t2.s, "link_s": t3.s}
    meta.write_text(json.dumps(info))
    return dict(info, cached=False)


def build(name, driver_key):
    code = (EX / name / "model.vppl").read_text()
    return build_program(code, BUILD / name, re.sub(r"[^A-Za-z0-9_]", "_", name), driver_key)


def grad_fixture(exe, data, model, data_rel, stanc_version):
    """The driver's grad mode at Stan's point, as a fixture of tests/fixtures/stan_gradients."""
    g = json.loads(sb.run([exe, "grad", f"data={data}", "seed=1", "min_time=0.3"]).stdout)
    return {"model": model, "point": g["theta"], "unc_names": g["unc_names"],
            "log_prob_propto_false": g["lp_full"], "log_prob_propto_true": g["lp_propto"],
            "gradient": g["grad"], "grad_us": g["grad_us_median"], "lp_us": g["lp_us_median"],
            "notes": GRAD_NOTES, "data": data_rel, "stan": stanc_version}


def stan_col(ref_name):
    """reference name 'beta[1]' / 'X[1,2]' -> Stan CSV column 'beta.1' / 'X.1.2'."""
    m = re.match(r"^([A-Za-z_][A-Za-z0-9_]*)(?:\[([0-9, ]+)\])?$", ref_name)
    base, idx = m.group(1), m.group(2)
    return base if idx is None else base + "." + ".".join(i.strip() for i in idx.split(","))


def compare(res, ref):
    names = res["names"]
    rows = []
    for p in ref["parameters"]:
        col = stan_col(p["name"])
        if col not in names:
            rows.append({"name": p["name"], "missing": True})
            continue
        j = names.index(col)
        m, s = res["mean"][j], res["sd"][j]
        rows.append({"name": p["name"], "mean": m, "sd": s, "ref_mean": p["mean"], "ref_sd": p["sd"],
                     "z": abs(m - p["mean"]) / p["sd"], "sd_ratio": s / p["sd"]})
    ok = [r for r in rows if not r.get("missing")]
    if not ok or not all(np.isfinite([r["z"] for r in ok])):
        return {"params": rows, "z_max": None, "sd_ratio_min": None, "sd_ratio_max": None}
    worst = max(ok, key=lambda r: r["z"])
    return {"params": rows, "z_max": worst["z"], "z_max_param": worst["name"],
            "sd_ratio_min": min(r["sd_ratio"] for r in ok),
            "sd_ratio_max": max(r["sd_ratio"] for r in ok),
            "missing": [r["name"] for r in rows if r.get("missing")]}


def fmt(x, f="{:.3g}"):
    return "—" if x is None else f.format(x)


def write_md(out):
    lines = [
        "# Stan ADVI (CmdStan defaults) on the posteriordb examples",
        "",
        "Made by `bench/peers/run_stan_posteriordb.sh` (see README.md). Stan " + out["stanc_version"]
        + ", with the shared peers driver and the httpstan 4.13 wheel. The settings are CmdStan's defaults: "
        "iter=10000, tol_rel_obj=0.01, eval_elbo=100, grad_samples=1, elbo_samples=100, "
        "adaptive eta (adapt_iter=50), output_samples=1000 and seed=1.",
        "",
        "- z = |mean_stan − ref_mean| / ref_sd, maximised over the reference parameters. "
        "The mean is taken over the 1000 draws of the approximation on the constrained scale.",
        "- sd ratio = sd_stan / ref_sd: the minimum and maximum over the reference parameters.",
        "- ELBO = the last ELBO that Stan evaluated (100 draws). iters = the iteration at which "
        "Stan stopped. s = wall seconds for the whole `advi` call, including eta adaptation "
        "and writing the draws.",
        "",
        "| posterior | algo | z max (param) | sd ratio min–max | ELBO | iters | s | note |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, r in out["posteriors"].items():
        if "error" in r:
            lines.append(f"| {name} | — | — | — | — | — | — | skipped: {r['error']} |")
            continue
        for algo in ("meanfield", "fullrank"):
            a = r.get(algo)
            if a is None:
                continue
            if "error" in a:
                err = a["error"].strip().splitlines()[0][:200] if a["error"].strip() else "failed"
                lines.append(f"| {name} | {algo} | — | — | — | — | {fmt(a.get('wall_s'), '{:.2f}')} | failed: {err} |")
                continue
            c = a["compare"]
            zp = f"{fmt(c['z_max'], '{:.2f}')} ({c.get('z_max_param', '')})"
            sr = f"{fmt(c['sd_ratio_min'], '{:.2f}')}–{fmt(c['sd_ratio_max'], '{:.2f}')}"
            note = a["converged"]
            lines.append(f"| {name} | {algo} | {zp} | {sr} | {fmt(a['elbo_final'], '{:.6g}')} | "
                         f"{a['iters']} | {fmt(a['wall_s'], '{:.2f}')} | {note} |")
    OUT_MD.write_text("\n".join(lines) + "\n")


def main():
    names = sys.argv[1].split(",") if len(sys.argv) > 1 else sorted(
        p.name for p in EX.iterdir() if (PDB / p.name / "reference.json").exists())
    drv = sb.build_driver(False)
    out = {"system": "stan (shared/peers stan_driver, httpstan " + sb.httpstan.__version__ + " wheel)",
           "stanc_version": sb.run([sb.STANC, "--version"]).stdout.strip(),
           "settings": sp.ADVI_DEFAULTS, "posteriors": {}}
    if OUT_JSON.exists():
        out["posteriors"].update(json.loads(OUT_JSON.read_text()).get("posteriors", {}))
    for name in names:
        print(f"[pdb] {name}: build", flush=True)
        ref = json.loads((PDB / name / "reference.json").read_text())
        try:
            b = build(name, drv["key"])
        except sb.subprocess.CalledProcessError as e:
            out["posteriors"][name] = {"error": "build failed: " + (e.stderr or "")[-300:].strip()}
            OUT_JSON.write_text(json.dumps(out, indent=1) + "\n")
            write_md(out)
            continue
        r = {"build": b}
        exe = BUILD / name / "model_exe"
        data = EX / name / "data.json"
        print(f"[pdb] {name}: grad", flush=True)
        try:
            fix = grad_fixture(exe, data, name, f"examples/{name}/data.json", out["stanc_version"])
            FIX.mkdir(parents=True, exist_ok=True)
            (FIX / f"{name}.json").write_text(json.dumps(fix, indent=1) + "\n")
            r["grad_us"] = fix["grad_us"]
        except (sb.subprocess.CalledProcessError, ValueError, KeyError) as e:
            r["grad_error"] = repr(e)[:300]
        for algo in ("meanfield", "fullrank"):
            print(f"[pdb] {name}: advi {algo}", flush=True)
            a = sp.advi(exe, data, algo, BUILD / name / f"defaults_{algo}", sp.ADVI_DEFAULTS)
            if "error" not in a:
                a["compare"] = compare(a, ref)
                a.pop("elbo_trace", None)
                # keep only the reference parameters' moments (drop transformed params, GQs)
                a.pop("names"), a.pop("mean"), a.pop("sd"), a.pop("approx_mean_row")
            r[algo] = a
        out["posteriors"][name] = r
        OUT_JSON.write_text(json.dumps(out, indent=1) + "\n")
        write_md(out)


if __name__ == "__main__":
    main()
