#!/usr/bin/env bash
# Stan gradient fixtures + Stan ADVI (CmdStan defaults) for the six peer models.
#   PEERS_VENV=../peers-venv PEERS_BUILD=../peers-build bench/peers/run_stan_peers.sh [model,model]
# Writes tests/fixtures/stan_gradients/<model>.json and bench/peers/stan_advi_defaults.json.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
run_driver stan_peers.py "$@"
