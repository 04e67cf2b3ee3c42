// integrate_1d computing a normalising constant, with and without an explicit relative tolerance.
functions {
  real unnorm_density(real x, real xc, array[] real theta, array[] real x_r, array[] int x_i) {
    return exp(-square(x - theta[1]) / (2 * square(theta[2])) - x_r[1] * abs(x));
  }
}
data {
  real lambda;
  real y;
}
transformed data {
  array[1] real x_r = {lambda};
  array[0] int x_i;
}
parameters {
  real mu;
  real<lower=0> sigma;
}
model {
  real Z = integrate_1d(unnorm_density, negative_infinity(), positive_infinity(), {mu, sigma}, x_r, x_i);
  real Z2 = integrate_1d(unnorm_density, -10, 10, {mu, sigma}, x_r, x_i, 1e-8);
  mu ~ normal(0, 1);
  sigma ~ lognormal(0, 1);
  target += log(unnorm_density(y, 0, {mu, sigma}, x_r, x_i)) - log(Z) + 0 * Z2;
}
