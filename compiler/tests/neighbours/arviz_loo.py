"""PSIS-LOO of a vppl fit by ArviZ, from the CSV `vppl run` wrote: the draws' `log_lik` as
cmdstanpy reads them (without the first row, the mean of q), one chain. Prints ArviZ's elpd_loo, its se, p_loo and the
Pareto k̂ per observation as JSON.

Usage: arviz_loo.py FIT.csv. Any exception is a failure of the test that calls this script.
"""

import json
import sys
import warnings

warnings.simplefilter("ignore")  # ArviZ announces its refactor on import; not our concern.

import arviz as az  # noqa: E402
import cmdstanpy  # noqa: E402
import numpy as np  # noqa: E402

fit = cmdstanpy.from_csv(sys.argv[1])
sample = fit.variational_sample_pd
log_lik = sample[[c for c in sample.columns if c.startswith("log_lik[")]].to_numpy()
idata = az.from_dict(
    posterior={"mu": sample["mu"].to_numpy()[None, :]},
    log_likelihood={"y": log_lik[None, :, :]},
)
loo = az.loo(idata, pointwise=True)
print(
    json.dumps(
        {
            "elpd_loo": float(loo["elpd_loo"]),
            "se": float(loo["se"]),
            "p_loo": float(loo["p_loo"]),
            "khat": [float(k) for k in np.asarray(loo["pareto_k"])],
            "draws": int(log_lik.shape[0]),
        }
    )
)
