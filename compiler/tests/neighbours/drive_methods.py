"""Drives an executable that `vppl build` made with cmdstanpy's other methods, as a cmdstanpy user
does: optimize (with and without the Jacobian, and by Newton's method), pathfinder, generate_quantities from the mode,
and log_prob with and without the Jacobian. Prints what cmdstanpy read as JSON.

Usage: drive_methods.py EXE DATA.json OUTPUT_DIR. Any exception is a failure of the calling test.
"""

import json
import sys
import warnings

warnings.simplefilter("ignore")

import cmdstanpy  # noqa: E402

exe, data, output_dir = sys.argv[1:4]
model = cmdstanpy.CmdStanModel(exe_file=exe)
mle = model.optimize(data=data, seed=1, algorithm="lbfgs", tol_rel_grad=10, sig_figs=18, output_dir=f"{output_dir}/optimize")
mle_jacobian = model.optimize(data=data, seed=1, algorithm="lbfgs", jacobian=True, tol_rel_grad=10, sig_figs=18, output_dir=f"{output_dir}/jacobian")
newton = model.optimize(data=data, seed=1, algorithm="newton", sig_figs=18, output_dir=f"{output_dir}/newton")
pathfinder = model.pathfinder(data=data, seed=2, output_dir=f"{output_dir}/pathfinder")
gq = model.generate_quantities(data=data, previous_fit=mle, seed=3, gq_output_dir=f"{output_dir}/gq")
params = {"mu": 1.0, "s": 2.0}
lp_without = model.log_prob(params=params, data=data, jacobian=False)
lp_with = model.log_prob(params=params, data=data, jacobian=True)
mu_draws = pathfinder.stan_variable("mu")
print(
    json.dumps(
        {
            "optimize": {
                "mu": float(mle.stan_variable("mu")),
                "s": float(mle.stan_variable("s")),
                "two_mu": float(mle.stan_variable("two_mu")),
                "lp": float(mle.optimized_params_dict["lp__"]),
                "jacobian": mle.metadata.cmdstan_config["jacobian"],
            },
            "optimize_jacobian": {"s": float(mle_jacobian.stan_variable("s"))},
            "newton": {
                "mu": float(newton.stan_variable("mu")),
                "s": float(newton.stan_variable("s")),
                "algorithm": newton.metadata.cmdstan_config["algorithm"],
            },
            "pathfinder": {
                "draws": int(mu_draws.shape[0]),
                "mean_mu": float(mu_draws.mean()),
                "columns": list(pathfinder.column_names[:3]),
            },
            "generate_quantities": {
                "two_mu": [float(x) for x in gq.stan_variable("two_mu")],
                "mu": [float(x) for x in gq.stan_variable("mu")],
            },
            "log_prob": {
                "without": [float(x) for x in lp_without.iloc[0]],
                "with": [float(x) for x in lp_with.iloc[0]],
            },
        }
    )
)
