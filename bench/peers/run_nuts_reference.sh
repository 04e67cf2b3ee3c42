#!/usr/bin/env bash
# Stan NUTS reference posteriors for the six peer models (4 chains x 2000 draws, seed 1).
#   PEERS_VENV=../peers-venv PEERS_BUILD=../peers-build bench/peers/run_nuts_reference.sh [model,model]
# Writes bench/peers/reference/<model>.json.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
run_driver nuts_reference.py "$@"
