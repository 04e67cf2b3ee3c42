// The `_tol` ODE solvers: relative tolerance, absolute tolerance and max steps before the variadic tail.
functions {
  vector oscillator(real t, vector y, real omega, real zeta) {
    return [y[2], -square(omega) * y[1] - 2 * zeta * omega * y[2]]';
  }
}
data {
  int<lower=1> T;
  array[T] real ts;
  array[T] real x_obs;
}
parameters {
  real<lower=0> omega;
  real<lower=0, upper=1> zeta;
}
transformed parameters {
  array[T] vector[2] y1 = ode_rk45_tol(oscillator, [1, 0]', 0, ts, 1e-6, 1e-6, 10000, omega, zeta);
  array[T] vector[2] y2 = ode_ckrk_tol(oscillator, [1, 0]', 0, ts, 1e-6, 1e-6, 10000, omega, zeta);
  array[T] vector[2] y3 = ode_bdf_tol(oscillator, [1, 0]', 0, ts, 1e-8, 1e-8, 5000, omega, zeta);
  array[T] vector[2] y4 = ode_adams_tol(oscillator, [1, 0]', 0, ts, 1e-8, 1e-8, 5000, omega, zeta);
}
model {
  omega ~ lognormal(0, 1);
  for (t in 1:T) {
    x_obs[t] ~ normal(y1[t, 1], 0.1);
  }
}
