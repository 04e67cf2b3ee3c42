// A user-written change of variables: jacobian += in transformed parameters (Stan 2.36).
parameters {
  real log_sigma;
  vector[2] raw;
}
transformed parameters {
  real<lower=0> sigma = exp(log_sigma);
  jacobian += log_sigma;
  vector[2] scaled = exp(raw);
  jacobian += sum(raw);
}
model {
  sigma ~ lognormal(0, 1);
  scaled ~ exponential(1);
}
