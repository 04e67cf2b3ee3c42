// `for (n in N)` loops over an int; a range `1:N` was meant.
data {
  int N;
  vector[N] y;
}
parameters {
  real mu;
}
model {
  for (n in N) {
    y[n] ~ normal(mu, 1);
  }
}
