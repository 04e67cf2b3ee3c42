// algebra_solver and algebra_solver_newton with the fixed (y, theta, x_r, x_i) signature, plus tolerances.
functions {
  vector system(vector y, vector theta, data array[] real x_r, array[] int x_i) {
    vector[2] z;
    z[1] = y[1] - theta[1];
    z[2] = y[1] * y[2] - theta[2];
    return z;
  }
}
transformed data {
  vector[2] y_guess = [1, 1]';
  array[0] real x_r;
  array[0] int x_i;
}
parameters {
  vector<lower=0>[2] theta;
}
transformed parameters {
  vector[2] y = algebra_solver(system, y_guess, theta, x_r, x_i);
  vector[2] y2 = algebra_solver_newton(system, y_guess, theta, x_r, x_i, 1e-10, 1e-6, 1000);
}
model {
  theta ~ lognormal(0, 0.5);
  y[2] ~ normal(1, 0.1);
}
