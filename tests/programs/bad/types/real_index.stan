// A real used as an index.
data {
  vector[3] x;
  real k;
}
parameters {
  real mu;
}
model {
  mu ~ normal(x[k], 1);
}
