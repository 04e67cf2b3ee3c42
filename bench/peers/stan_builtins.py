"""Stan's log density and gradient for the fixture programs of built-ins.

Each tests/fixtures/stan_gradients/builtins/<name>.stan (data: <name>.data.json beside it) is
a program that sends parameters through a sample of the library's functions, densities, CDFs
and constrained types.  It is built with stan_posteriordb.py's recipe (stanc and headers from
the httpstan wheel, the shared peers driver) into $PEERS_BUILD/builtins/<name>/, one at a
time, and the driver's grad mode at Stan's point becomes <name>.json beside the program, in
the format of the other fixtures plus "program", the program's path from the project root.

Run with run_stan_builtins.sh [name,name].
"""
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import stan_posteriordb as spd  # noqa: E402  (imports the shared harness too)

sb = spd.sb
DIR = spd.FIX.parent / "builtins"
BUILD = sb.BUILD_DIR / "builtins"


def main():
    names = sys.argv[1].split(",") if len(sys.argv) > 1 else sorted(p.stem for p in DIR.glob("*.stan"))
    drv = sb.build_driver(False)
    stanc_version = sb.run([sb.STANC, "--version"]).stdout.strip()
    for name in names:
        program = DIR / f"{name}.stan"
        data = DIR / f"{name}.data.json"
        rel = lambda p: str(p.relative_to(spd.REPO))  # noqa: E731
        try:
            print(f"[builtins] {name}: build", flush=True)
            spd.build_program(program.read_text(), BUILD / name, f"builtins_{name}", drv["key"])
            print(f"[builtins] {name}: grad", flush=True)
            fix = spd.grad_fixture(BUILD / name / "model_exe", data, f"builtins/{name}", rel(data), stanc_version)
        except sb.subprocess.CalledProcessError as e:
            # Stan refuses the program or its point: say why, and go on with the others.
            print(f"[builtins] {name}: failed: {(e.stderr or '').strip()[-2000:]}", flush=True)
            continue
        fix["program"] = rel(program)
        (DIR / f"{name}.json").write_text(json.dumps(fix, indent=1) + "\n")


if __name__ == "__main__":
    main()
