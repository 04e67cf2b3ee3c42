// Loop variables are scoped to their loop: the same name is reused by sequential loops and in other blocks.
data {
  int<lower=1> N;
  int<lower=1> K;
  matrix[N, K] X;
}
transformed data {
  vector[K] col_means;
  for (k in 1:K) {
    col_means[k] = mean(X[:, k]);
  }
  real total = 0;
  for (k in 1:K) {
    for (n in 1:N) {
      total += X[n, k] - col_means[k];
    }
  }
  for (n in 1:N) {
    total += n;
  }
}
parameters {
  vector[K] b;
}
model {
  for (k in 1:K) {
    b[k] ~ normal(col_means[k], 1);
  }
  for (n in 1:N) {
    target += normal_lpdf(X[n] | b', 1);
  }
}
generated quantities {
  real check = total;
  for (k in 1:K) {
    check += b[k];
  }
}
