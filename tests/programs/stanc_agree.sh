#!/usr/bin/env bash
# Cross-checks the front-end corpora against Stan's own compiler (stanc3, shipped in the
# httpstan package of the peers harness): every accepted program should compile with stanc,
# and every bad program should be refused by it. Prints the disagreements; a program that
# stanc refuses only because it uses a Stan 2.36 addition (stochastic matrices,
# sum_to_zero_vector, jacobian +=, beta_neg_binomial) is expected, as is a bad program whose
# diagnostic is a warning or "not supported yet". Not part of the test suite: it needs the
# peers virtualenv, which is outside the repository.
#
# Usage: tests/programs/stanc_agree.sh [STANC]
set -u
stanc=${1:-$(cd "$(dirname "$0")/../../.." && pwd)/peers-venv/lib/python3.11/site-packages/httpstan/stanc}
[ -x "$stanc" ] || { echo "stanc not found at $stanc (pass its path)" >&2; exit 2; }
cd "$(dirname "$0")"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for f in $(find accepted good -name '*.stan' | sort); do
  "$stanc" "$f" --o "$out/x.hpp" >/dev/null 2>"$out/err" || {
    echo "stanc refuses accepted $f:"
    grep -v '^ *[0-9]*:\|-----\|^ *\^\|^$' "$out/err" | head -3 | sed 's/^/    /'
  }
done
for f in $(find bad -name '*.stan' | sort); do
  "$stanc" "$f" --o "$out/x.hpp" >/dev/null 2>&1 && echo "stanc accepts bad $f"
done
exit 0
