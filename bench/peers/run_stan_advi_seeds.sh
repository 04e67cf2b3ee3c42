#!/usr/bin/env bash
# Stan ADVI (CmdStan defaults) for seeds 2,3 on the six peer models.
#   PEERS_VENV=../peers-venv PEERS_BUILD=../peers-build bench/peers/run_stan_advi_seeds.sh [models] [seeds]
# Writes bench/peers/stan_advi_seeds.json.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
run_driver stan_advi_seeds.py "$@"
