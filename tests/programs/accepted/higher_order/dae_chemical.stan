// dae and dae_tol: a residual function of (t, y, y') with variadic parameters.
functions {
  vector chem_residual(real t, vector yy, vector yp, real k1, real k2) {
    vector[3] res;
    res[1] = yp[1] + k1 * yy[1] - k2 * yy[2] * yy[3];
    res[2] = yp[2] - k1 * yy[1] + k2 * yy[2] * yy[3] + 3e7 * square(yy[2]);
    res[3] = yy[1] + yy[2] + yy[3] - 1;
    return res;
  }
}
data {
  int<lower=1> T;
  array[T] real ts;
  vector[3] yy0;
  vector[3] yp0;
}
parameters {
  real<lower=0> k1;
  real<lower=0> k2;
}
transformed parameters {
  array[T] vector[3] y = dae(chem_residual, yy0, yp0, 0, ts, k1, k2);
  array[T] vector[3] y_tol = dae_tol(chem_residual, yy0, yp0, 0, ts, 1e-6, 1e-8, 10000, k1, k2);
}
model {
  k1 ~ lognormal(-3, 1);
  k2 ~ lognormal(9, 1);
}
