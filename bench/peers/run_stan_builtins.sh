#!/usr/bin/env bash
# Stan's gradient fixtures for the programs of built-ins in tests/fixtures/stan_gradients/builtins/.
#   PEERS_VENV=../peers-venv PEERS_BUILD=../peers-build bench/peers/run_stan_builtins.sh [name,name]
# Writes builtins/<name>.json beside each program; builds go to $PEERS_BUILD/builtins/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
run_driver stan_builtins.py "$@"
