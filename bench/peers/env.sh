# Shared by the run_*.sh scripts: where the peers harness and its builds live, one thread per
# numerical library (the machine has two cores, and timings must not fight each other), and
# the low-priority launch of a Python driver of this folder.
# Beside the project's folder by default (the project's root is two folders up from here).
_peers_outside="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
: "${PEERS_VENV:=$_peers_outside/peers-venv}"
export PEERS_DIR="${PEERS_DIR:-$_peers_outside/shared/peers}"
export PEERS_BUILD="${PEERS_BUILD:-$_peers_outside/peers-build}"
export XDG_CACHE_HOME="$PEERS_BUILD/xdg-cache"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONWARNINGS=ignore PYTHONDONTWRITEBYTECODE=1
mkdir -p "$PEERS_BUILD"

# run_driver SCRIPT.py ARGS...: runs a driver of this folder with the venv's Python.
run_driver() {
  local script="$1"
  shift
  exec nice -n 19 "$PEERS_VENV/bin/python" "$(dirname "${BASH_SOURCE[0]}")/$script" "$@"
}
