// GARCH(1,1)-style variance recursion with a loop-carried local variance.
data {
  int<lower=2> T;
  vector[T] r;
}
parameters {
  real<lower=0> omega;
  real<lower=0, upper=1> a;
  real<lower=0, upper=(1 - a)> b;
}
model {
  real h = 1;
  omega ~ exponential(2);
  a ~ beta(2, 5);
  b ~ beta(2, 2);
  for (t in 1:T) {
    r[t] ~ normal(0, sqrt(h));
    h = omega + a * square(r[t]) + b * h;
  }
}
