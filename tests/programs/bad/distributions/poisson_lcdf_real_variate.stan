// `poisson_lcdf` takes an int variate, but `y` is a real: the candidate signatures are listed.
data {
  real y;
}
parameters {
  real<lower=0> lambda;
}
model {
  target += poisson_lcdf(y | lambda);
}
