"""Drives an executable that `vppl build` made, as a cmdstanpy user does: CmdStanModel(exe_file=…),
its info, and `variational` with cmdstanpy's defaults and with options. Prints what cmdstanpy saw
as JSON.

Usage: drive_built.py EXE DATA.json OUTPUT_DIR. Any exception is a failure of the calling test.
"""

import json
import sys
import warnings

warnings.simplefilter("ignore")

import cmdstanpy  # noqa: E402

exe, data, output_dir = sys.argv[1:4]
model = cmdstanpy.CmdStanModel(exe_file=exe)
info = model.exe_info()
default = model.variational(data=data, seed=3, output_dir=f"{output_dir}/default", require_converged=False)
chosen = model.variational(
    data=data, seed=4, algorithm="meanfield", iter=500, draws=100, output_dir=f"{output_dir}/chosen", require_converged=False
)
lp = model.log_prob(params={"mu": 1.0, "tau": 2.0, "theta_tilde": [0.0, 0.0, 0.0]}, data=data)
print(
    json.dumps(
        {
            "stan_version": [info["stan_version_major"], info["stan_version_minor"]],
            "default": {
                "csv": default.runset.csv_files[0],
                "algorithm": default.metadata.cmdstan_config["algorithm"],
                "draws": int(default.variational_sample.shape[0]),
                "mean_mu": float(default.variational_params_dict["mu"]),
            },
            "log_prob": {"columns": list(lp.columns), "row": [float(x) for x in lp.iloc[0]]},
            "chosen": {
                "csv": chosen.runset.csv_files[0],
                "algorithm": chosen.metadata.cmdstan_config["algorithm"],
                "draws": int(chosen.variational_sample.shape[0]),
                "iter": int(chosen.metadata.cmdstan_config["iter"]),
            },
        }
    )
)
