functions {
  real g(real x, int n) { return x * n; }
  real g(int n, real x) { return x + n; }
}
parameters { real mu; }
model {
  mu ~ normal(g(1, 2), 1);
}
