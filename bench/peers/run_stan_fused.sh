#!/usr/bin/env bash
# Stan's gradient times for the vector-level function models of bench/fused/.
#   PEERS_VENV=../peers-venv PEERS_BUILD=../peers-build bench/peers/run_stan_fused.sh [name,name]
# Writes bench/fused/stan.json; builds go to $PEERS_BUILD/fused/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
run_driver stan_fused.py "$@"
