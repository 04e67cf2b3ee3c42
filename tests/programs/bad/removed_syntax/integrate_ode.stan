// The old ODE interface `integrate_ode_rk45`: Stan still accepts it until 3.0, so it is a warning pointing to `ode_rk45`.
functions {
  array[] real rhs(real t, array[] real y, array[] real theta, array[] real x_r, array[] int x_i) {
    return {-theta[1] * y[1]};
  }
}
data {
  array[3] real ts;
}
parameters {
  real<lower=0> k;
}
model {
  array[3, 1] real y = integrate_ode_rk45(rhs, {1.0}, 0.0, ts, {k}, rep_array(0.0, 0), rep_array(0, 0));
}
