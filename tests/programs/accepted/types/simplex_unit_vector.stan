// Simplex and unit vector parameters, alone and in arrays.
data {
  int<lower=2> K;
  int<lower=1> G;
  array[G, K] int<lower=0> counts;
}
parameters {
  simplex[K] theta;
  array[G] simplex[K] group_theta;
  unit_vector[2] direction;
  array[G] unit_vector[3] axes;
}
model {
  theta ~ dirichlet(rep_vector(1, K));
  for (g in 1:G) {
    group_theta[g] ~ dirichlet(5 * theta);
    counts[g] ~ multinomial(group_theta[g]);
  }
}
generated quantities {
  real angle = atan2(direction[2], direction[1]);
  real first_norm = norm2(axes[1]);
}
