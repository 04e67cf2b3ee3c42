#!/usr/bin/env bash
# Stan ADVI (CmdStan defaults) for seeds 2,3 on the six peer models.
#   PEERS_VENV=/work/peers-venv PEERS_BUILD=/work/peers-build bench/peers/run_stan_advi_seeds.sh [models] [seeds]
# Writes bench/peers/stan_advi_seeds.json.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${PEERS_VENV:=/work/peers-venv}"
export PEERS_DIR="${PEERS_DIR:-/work/shared/peers}"
export PEERS_BUILD="${PEERS_BUILD:-/work/peers-build}"
export XDG_CACHE_HOME="$PEERS_BUILD/xdg-cache"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONWARNINGS=ignore PYTHONDONTWRITEBYTECODE=1
mkdir -p "$PEERS_BUILD"
exec nice -n 19 "$PEERS_VENV/bin/python" "$here/stan_advi_seeds.py" "$@"
