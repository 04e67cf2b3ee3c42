// A while loop with a loop-carried local: a geometric series truncated by a data-dependent
// condition, inside the model block (differentiated).
data {
  int<lower=1> K;
  vector[K] y;
}
parameters {
  real<lower=0, upper=0.9> r;
  real mu;
}
model {
  real total = 0;
  real term = 1;
  int k = 0;
  while (k < K) {
    total += term;
    term *= r;
    k += 1;
  }
  y ~ normal(mu * total, 1);
  mu ~ normal(0, 2);
}
