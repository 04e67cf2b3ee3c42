#!/usr/bin/env bash
# Stan NUTS reference posteriors for the six peer models (4 chains x 2000 draws, seed 1).
#   PEERS_VENV=/work/peers-venv PEERS_BUILD=/work/peers-build bench/peers/run_nuts_reference.sh [model,model]
# Writes bench/peers/reference/<model>.json.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${PEERS_VENV:=/work/peers-venv}"
export PEERS_DIR="${PEERS_DIR:-/work/shared/peers}"
export PEERS_BUILD="${PEERS_BUILD:-/work/peers-build}"
export XDG_CACHE_HOME="$PEERS_BUILD/xdg-cache"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONWARNINGS=ignore PYTHONDONTWRITEBYTECODE=1
mkdir -p "$PEERS_BUILD"
exec nice -n 19 "$PEERS_VENV/bin/python" "$here/nuts_reference.py" "$@"
