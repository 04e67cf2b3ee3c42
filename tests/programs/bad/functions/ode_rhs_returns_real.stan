// The ODE right-hand side given to `ode_rk45` must return a vector.
functions {
  real decay(real t, vector y, real k) {
    return -k * y[1];
  }
}
data {
  array[3] real ts;
  vector[3] obs;
}
parameters {
  real<lower=0> k;
}
model {
  array[3] vector[1] ys = ode_rk45(decay, [1.0]', 0.0, ts, k);
  for (i in 1:3) {
    obs[i] ~ normal(ys[i][1], 0.1);
  }
}
