// Truncation, profiles, loops over containers, compound assignment, left division.
data {
  int N;
  vector[N] y;
  matrix[N, N] A;
}
transformed data {
  vector[N] x = A \ y;
  real total = 0;
  for (v in y) {
    total += v;
  }
  for (i in 1:N) {
    for (j in 1:N) {
      total -= A[i, j] / N;
    }
  }
}
parameters {
  real mu;
}
model {
  profile("likelihood") {
    y ~ normal(mu, 1) T[-10, 10];
  }
  mu ~ normal(total, 10);
}
generated quantities {
  int positive = mu > 0 ? 1 : 0;
  int k = to_int(floor(mu));
}
