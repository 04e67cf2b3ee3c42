#!/usr/bin/env bash
# Stan ADVI (CmdStan defaults, meanfield and fullrank) on the posteriordb examples.
#   PEERS_VENV=../peers-venv PEERS_BUILD=../peers-build bench/peers/run_stan_posteriordb.sh [posterior,posterior]
# Writes bench/peers/stan_advi_posteriordb.{json,md}; builds go to $PEERS_BUILD/posteriordb/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
export POSTERIORDB_DIR="${POSTERIORDB_DIR:-$_peers_outside/shared/posteriordb}"
run_driver stan_posteriordb.py "$@"
