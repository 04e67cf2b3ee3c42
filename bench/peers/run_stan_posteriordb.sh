#!/usr/bin/env bash
# Stan ADVI (CmdStan defaults, meanfield and fullrank) on the posteriordb examples.
#   PEERS_VENV=/work/peers-venv PEERS_BUILD=/work/peers-build bench/peers/run_stan_posteriordb.sh [posterior,posterior]
# Writes bench/peers/stan_advi_posteriordb.{json,md}; builds go to $PEERS_BUILD/posteriordb/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${PEERS_VENV:=/work/peers-venv}"
export PEERS_DIR="${PEERS_DIR:-/work/shared/peers}"
export POSTERIORDB_DIR="${POSTERIORDB_DIR:-/work/shared/posteriordb}"
export PEERS_BUILD="${PEERS_BUILD:-/work/peers-build}"
export XDG_CACHE_HOME="$PEERS_BUILD/xdg-cache"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONWARNINGS=ignore PYTHONDONTWRITEBYTECODE=1
mkdir -p "$PEERS_BUILD"
exec nice -n 19 "$PEERS_VENV/bin/python" "$here/stan_posteriordb.py" "$@"
