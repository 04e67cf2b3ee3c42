// `solve_newton` needs a system `vector f(vector x, ...)`; this one takes a real first.
functions {
  vector system(real x, vector theta) {
    return [x - theta[1]]';
  }
}
parameters {
  vector[1] theta;
}
model {
  vector[1] root = solve_newton(system, [1.0]', theta);
  theta ~ normal(0, 1);
  root ~ normal(0, 1);
}
