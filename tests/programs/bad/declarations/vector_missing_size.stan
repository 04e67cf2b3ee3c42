// A block-level `vector` declared without its size.
data {
  int<lower=1> N;
  vector y;
}
parameters {
  real mu;
}
model {
  y ~ normal(mu, 1);
}
