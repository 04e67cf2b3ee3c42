"""Drives `laplace` of an executable that `vppl build` made, as a cmdstanpy user does:
laplace_sample with the mode given as the path of an optimize CSV. Prints what cmdstanpy saw as
JSON.

Usage: drive_laplace.py EXE MODE.csv OUTPUT_DIR. Any exception is a failure of the calling test.
"""

import json
import sys
import warnings

warnings.simplefilter("ignore")

import cmdstanpy  # noqa: E402
import numpy as np  # noqa: E402

exe, mode, output_dir = sys.argv[1:4]
model = cmdstanpy.CmdStanModel(exe_file=exe)
fit = model.laplace_sample(mode=mode, draws=2000, seed=5, output_dir=output_dir)
x = fit.stan_variable("x")
print(
    json.dumps(
        {
            "columns": list(fit.column_names),
            "method_variables": sorted(fit.method_variables().keys()),
            "shape": list(x.shape),
            "mean": x.mean(axis=0).tolist(),
            "cov": np.cov(x.T).tolist(),
            "log_sigma_mean": float(np.log(fit.stan_variable("sigma")).mean()),
            "mode_x": fit.mode.stan_variable("x").tolist(),
        }
    )
)
