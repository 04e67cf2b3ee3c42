// Simplex parameters (Stan's stick-breaking transform), alone and in an array, with Dirichlet
// priors.
parameters {
  simplex[3] theta;
  array[2] simplex[4] phi;
}
model {
  theta ~ dirichlet([2, 3, 4]');
  for (k in 1:2) {
    phi[k] ~ dirichlet(rep_vector(1.5, 4));
  }
}
