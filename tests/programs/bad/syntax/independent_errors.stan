// Three independent syntax errors in three statements: each is reported once, and recovery inside
// a broken statement does not add a second error for it.
data {
  int N
  vector[N] y;
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1)
  y ~ normal(mu, 1);
  target += 2 * * mu;
}
