// `target +=` is not allowed in transformed parameters; use the model block.
parameters {
  real log_sigma;
}
transformed parameters {
  real sigma = exp(log_sigma);
  target += log_sigma;
}
model {
  sigma ~ exponential(1);
}
