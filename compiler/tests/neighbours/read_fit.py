"""Reads a vppl CSV as a user would, with cmdstanpy and ArviZ, and prints what they saw as JSON.

Usage: read_fit.py FIT.csv. Any exception is a failure of the test that calls this script.
"""

import json
import sys
import warnings

warnings.simplefilter("ignore")  # ArviZ announces its refactor on import; not our concern.

import arviz as az  # noqa: E402
import cmdstanpy  # noqa: E402
import numpy as np  # noqa: E402

path = sys.argv[1]
fit = cmdstanpy.from_csv(path)
assert isinstance(fit, cmdstanpy.CmdStanVB), type(fit)
sample = fit.variational_sample_pd
columns = [c for c in fit.column_names if not c.endswith("__")]
idata = az.from_cmdstan(path)
posterior = idata.posterior
arviz_means = {}
for name, values in posterior.data_vars.items():
    mean = values.mean(dim=("chain", "draw")).values
    if mean.ndim == 0:
        arviz_means[name] = float(mean)
    else:
        for index in np.ndindex(mean.shape):
            arviz_means[f"{name}[{','.join(map(str, index))}]"] = float(mean[index])
print(
    json.dumps(
        {
            "cmdstanpy": {
                "algorithm": fit.metadata.cmdstan_config["algorithm"],
                "eta": fit.eta,
                "columns": columns,
                "draws": int(sample.shape[0]),
                "means": {c: float(sample[c].mean()) for c in columns},
                "variational_mean": {c: float(fit.variational_params_dict[c]) for c in columns},
                "stan_variables": sorted(fit.stan_variables(mean=False).keys()),
            },
            "arviz": {
                "variables": sorted(posterior.data_vars),
                "draws": int(posterior.sizes["draw"]),
                "chains": int(posterior.sizes["chain"]),
                "means": arviz_means,
            },
        }
    )
)
