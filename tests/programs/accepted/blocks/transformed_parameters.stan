// Transformed parameters read data, transformed data and parameters; the model and generated quantities read them.
data {
  int<lower=1> J;
  vector[J] y;
  vector<lower=0>[J] se;
}
transformed data {
  real scale = 5;
}
parameters {
  real mu;
  real<lower=0> tau;
  vector[J] eta;
}
transformed parameters {
  vector[J] theta = mu + tau * eta;
  real<lower=0> tau_sq = square(tau);
}
model {
  mu ~ normal(0, scale);
  tau ~ cauchy(0, scale);
  eta ~ std_normal();
  y ~ normal(theta, se);
}
generated quantities {
  vector[J] shrinkage = 1 - tau_sq ./ (tau_sq + square(se));
}
