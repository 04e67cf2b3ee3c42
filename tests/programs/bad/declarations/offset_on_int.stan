// `offset`/`multiplier` apply to real-valued types only, not to `int`.
data {
  int<offset=1> k;
}
parameters {
  real mu;
}
model {
  mu ~ normal(k, 1);
}
