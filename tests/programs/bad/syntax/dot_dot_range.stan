// A range is written `1..N`; Stan writes `1:N`.
data {
  int N;
  vector[N] y;
}
parameters {
  real mu;
}
model {
  for (n in 1..N) {
    y[n] ~ normal(mu, 1);
  }
}
