// Promotion in higher-order calls: an int initial time and int-array output times where reals are expected.
functions {
  vector growth(real t, vector y, real r) {
    return r * y;
  }
}
data {
  int<lower=1> T;
  array[T] int ts;
  real r_data;
}
transformed data {
  array[T] vector[1] y_data = ode_rk45(growth, [1.0]', 0, ts, r_data);
}
parameters {
  real<lower=0> r;
}
transformed parameters {
  array[T] vector[1] y = ode_rk45(growth, [1.0]', 0, ts, r);
}
model {
  r ~ lognormal(0, 1);
}
