// Integer division: `/` between ints truncates (with a compiler note), `%/%` is explicit, and real operands divide exactly.
data {
  int n;
  int<lower=1> m;
}
transformed data {
  int q1 = n / m;
  int q2 = n %/% m;
  int r = n % m;
  real exact = n * 1.0 / m;
  real exact2 = n / (m * 1.0);
  real promoted = 1.0 * n / m;
}
parameters {
  real mu;
}
model {
  mu ~ normal(q1 + q2 + r + exact + exact2 + promoted, 1);
}
