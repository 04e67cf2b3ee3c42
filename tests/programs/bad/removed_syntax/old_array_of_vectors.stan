// Removed syntax for an array of vectors: `vector[K] beta[J];`.
data {
  int<lower=1> J;
  int<lower=1> K;
}
parameters {
  vector[K] beta[J];
}
model {
  for (j in 1:J) {
    beta[j] ~ normal(0, 1);
  }
}
