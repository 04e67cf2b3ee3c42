// `sigma` is never declared, and used twice: one mistake, one report.
data { int N; vector[N] y; }
parameters { real mu; }
model {
  sigma ~ exponential(1);
  y ~ normal(mu, sigma);
}
