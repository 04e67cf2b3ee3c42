// Overloads resolved as Stan resolves them: the signature needing the fewest promotions,
// whatever order the definitions come in.
functions {
  real f(real x) { return 10 * x; }
  real f(int n) { return n; }
  real f(vector v) { return sum(v); }
  real twice(real x) { return 2 * f(x); }
  real twice(int n) { return 2 * f(n); }
  real shifted_lpdf(real y, real mu) { return normal_lpdf(y | mu + f(1), 1); }
}
data { int N; vector[N] y; }
parameters { real mu; }
model {
  mu ~ normal(f(2), f(0.5));
  y ~ normal(mu + f(y) / N, 1);
  mu ~ shifted(twice(1));
}
generated quantities {
  real a = f(3);
  real b = f(3.0);
  real c = twice(2);
  real d = twice(2.5);
}
