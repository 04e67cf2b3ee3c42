// A higher-order function: the ODE right-hand side is passed by name.
functions {
  vector decay(real t, vector y, real k) {
    return -k * y;
  }
}
data {
  int T;
  array[T] real ts;
  array[T] vector[1] obs;
}
parameters {
  real<lower=0> k;
}
transformed parameters {
  array[T] vector[1] y = ode_rk45(decay, [1.0]', 0.0, ts, k);
}
model {
  k ~ lognormal(0, 1);
  for (t in 1:T) {
    obs[t] ~ normal(y[t], 0.1);
  }
}
