// `sum_to_zero_vector` is fully constrained already and cannot take bounds.
data {
  int<lower=2> K;
}
parameters {
  sum_to_zero_vector<lower=-1>[K] effects;
}
model {
  effects ~ normal(0, 1);
}
