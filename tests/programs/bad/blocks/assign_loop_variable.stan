// The loop variable is assigned to inside the loop body.
data {
  int N;
  vector[N] y;
}
parameters {
  real mu;
}
model {
  for (n in 1:N) {
    y[n] ~ normal(mu, 1);
    n = n + 1;
  }
}
