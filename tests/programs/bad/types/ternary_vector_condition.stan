// The condition of `?:` must be an int or a real.
data {
  vector[3] x;
}
parameters {
  real mu;
}
model {
  real s = x ? 1.0 : 0.0;
  mu ~ normal(s, 1);
}
