"""Stan's gradient time for the vector-level function models of bench/fused/.

Each bench/fused/<name>.stan is built with stan_posteriordb.py's recipe (stanc and headers from
the httpstan wheel, the shared peers driver) into $PEERS_BUILD/fused/<name>/, one at a time;
then the driver's grad mode runs it on bench/fused/n1000.json and n20000.json (the programs
make the rest of their data from N).  Writes bench/fused/stan.json: per program and N, the
driver's median microseconds per gradient (log_prob_grad<true, true>) and per log density,
at Stan's uniform(-2, 2) point.

Run with run_stan_fused.sh [name,name].
"""
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import stan_posteriordb as spd  # noqa: E402  (imports the shared harness too)

sb = spd.sb
DIR = spd.REPO / "bench" / "fused"
BUILD = sb.BUILD_DIR / "fused"
OUT = DIR / "stan.json"
SIZES = (1000, 20000)


def main():
    names = sys.argv[1].split(",") if len(sys.argv) > 1 else sorted(p.stem for p in DIR.glob("*.stan"))
    drv = sb.build_driver(False)
    out = json.loads(OUT.read_text()) if OUT.exists() else {}
    out["stan"] = sb.run([sb.STANC, "--version"]).stdout.strip()
    for name in names:
        print(f"[fused] {name}: build", flush=True)
        spd.build_program((DIR / f"{name}.stan").read_text(), BUILD / name, f"fused_{name}", drv["key"])
        rows = {}
        for n in SIZES:
            g = json.loads(sb.run([BUILD / name / "model_exe", "grad", f"data={DIR / f'n{n}.json'}", "seed=1",
                                   "min_time=0.5"]).stdout)
            rows[str(n)] = {"grad_us": g["grad_us_median"], "lp_us": g["lp_us_median"]}
            print(f"[fused] {name} N={n}: gradient {g['grad_us_median']:.2f} us", flush=True)
        out[name] = rows
        OUT.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
