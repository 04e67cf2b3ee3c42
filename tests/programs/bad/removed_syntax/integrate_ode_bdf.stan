// The old ODE interface `integrate_ode_bdf`: Stan still accepts it until 3.0, so it is a warning pointing to `ode_bdf`.
functions {
  array[] real decay(real t, array[] real y, array[] real theta, array[] real x_r, array[] int x_i) {
    return {-theta[1] * y[1]};
  }
}
data {
  array[4] real ts;
  array[4] real obs;
}
parameters {
  real<lower=0> k;
}
model {
  array[4, 1] real y_hat = integrate_ode_bdf(decay, {1.0}, 0.0, ts, {k}, rep_array(0.0, 0), rep_array(0, 0));
  for (t in 1:4) {
    obs[t] ~ normal(y_hat[t, 1], 0.1);
  }
}
