// A built-in function called for nothing.
data { int N; vector[N] y; }
parameters { real mu; }
model {
  normal_lpdf(y | mu, 1);
  mu ~ normal(0, 1);
}
