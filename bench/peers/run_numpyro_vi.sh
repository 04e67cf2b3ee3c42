#!/usr/bin/env bash
# NumPyro AutoNormal / AutoMultivariateNormal on the six peer models vs the NUTS references.
#   PEERS_VENV=../peers-venv PEERS_BUILD=../peers-build bench/peers/run_numpyro_vi.sh [model,model] [--seeds 1,2,3]
# Writes bench/peers/numpyro_vi.json.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
export JAX_PLATFORMS=cpu XLA_FLAGS="--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
run_driver numpyro_vi.py "$@"
