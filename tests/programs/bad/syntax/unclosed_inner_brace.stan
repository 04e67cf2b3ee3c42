// The `{` of an `if` is never closed; the `}` meant for the function closes it instead.
functions {
  real f(real x) {
    if (x > 0) {
      return x;
    return -x;
  }
}
data { int N; vector[N] y; }
parameters { real mu; }
model { y ~ normal(f(mu), 1); }
