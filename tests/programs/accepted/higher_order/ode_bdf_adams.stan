// Stiff and non-stiff solvers: ode_bdf and ode_adams on a two-compartment system with variadic arguments.
functions {
  vector two_compartment(real t, vector y, real ka, real ke, data real dose_scale) {
    vector[2] dydt;
    dydt[1] = -ka * y[1];
    dydt[2] = ka * y[1] * dose_scale - ke * y[2];
    return dydt;
  }
}
data {
  int<lower=1> T;
  array[T] real ts;
  vector[T] conc;
  real dose_scale;
}
parameters {
  real<lower=0> ka;
  real<lower=0> ke;
  real<lower=0> sigma;
}
transformed parameters {
  array[T] vector[2] y_bdf = ode_bdf(two_compartment, [10, 0]', 0, ts, ka, ke, dose_scale);
  array[T] vector[2] y_adams = ode_adams(two_compartment, [10, 0]', 0, ts, ka, ke, dose_scale);
}
model {
  ka ~ lognormal(0, 1);
  ke ~ lognormal(-1, 1);
  sigma ~ normal(0, 1);
  for (t in 1:T) {
    conc[t] ~ lognormal(log(y_bdf[t, 2]), sigma);
  }
}
