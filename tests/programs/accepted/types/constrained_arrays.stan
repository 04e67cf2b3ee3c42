// Arrays of constrained vectors and matrices: ordered, positive_ordered, cholesky factors and simplexes.
data {
  int<lower=1> G;
  int<lower=2> K;
}
parameters {
  array[G] ordered[K] cuts;
  array[G] positive_ordered[K] scales;
  array[G] cholesky_factor_corr[K] L;
  array[2, G] simplex[K] mix;
}
model {
  for (g in 1:G) {
    cuts[g] ~ normal(0, 3);
    scales[g] ~ lognormal(0, 1);
    L[g] ~ lkj_corr_cholesky(4);
    mix[1, g] ~ dirichlet(rep_vector(1, K));
    mix[2, g] ~ dirichlet(rep_vector(2, K));
  }
}
