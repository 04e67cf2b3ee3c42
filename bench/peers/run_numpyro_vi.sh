#!/usr/bin/env bash
# NumPyro AutoNormal / AutoMultivariateNormal on the six peer models vs the NUTS references.
#   PEERS_VENV=/work/peers-venv PEERS_BUILD=/work/peers-build bench/peers/run_numpyro_vi.sh [model,model] [--seeds 1,2,3]
# Writes bench/peers/numpyro_vi.json.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${PEERS_VENV:=/work/peers-venv}"
export PEERS_DIR="${PEERS_DIR:-/work/shared/peers}"
export PEERS_BUILD="${PEERS_BUILD:-/work/peers-build}"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONWARNINGS=ignore PYTHONDONTWRITEBYTECODE=1
export JAX_PLATFORMS=cpu XLA_FLAGS="--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
exec nice -n 19 "$PEERS_VENV/bin/python" "$here/numpyro_vi.py" "$@"
