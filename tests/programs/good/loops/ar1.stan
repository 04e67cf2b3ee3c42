// AR(1) likelihood written with a loop-carried local variable holding the previous value.
data {
  int<lower=2> T;
  array[T] real y;
}
parameters {
  real alpha;
  real<lower=-1, upper=1> rho;
  real<lower=0> sigma;
}
model {
  real prev = y[1];
  alpha ~ normal(0, 2);
  rho ~ normal(0, 0.5);
  sigma ~ lognormal(0, 1);
  for (t in 2:T) {
    y[t] ~ normal(alpha + rho * prev, sigma);
    prev = y[t];
  }
}
