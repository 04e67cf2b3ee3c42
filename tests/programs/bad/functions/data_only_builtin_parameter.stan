// The relative tolerance of `ode_rk45_tol` is data only; here it is a parameter.
functions {
  vector decay(real t, vector y, real k) {
    return -k * y;
  }
}
data {
  array[3] real ts;
  vector[3] obs;
}
parameters {
  real<lower=0> k;
  real<lower=0> tol;
}
model {
  array[3] vector[1] ys = ode_rk45_tol(decay, [1.0]', 0.0, ts, tol, 1e-6, 1000, k);
  for (i in 1:3) {
    obs[i] ~ normal(ys[i][1], 0.1);
  }
}
