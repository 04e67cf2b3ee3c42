// Simplex-valued distributions and multinomials: dirichlet, multinomial, multinomial_logit, dirichlet_multinomial.
data {
  int<lower=2> K;
  array[K] int<lower=0> counts;
  vector<lower=0>[K] alpha;
}
parameters {
  simplex[K] theta;
  vector[K] gamma;
  real<lower=0> conc;
}
model {
  theta ~ dirichlet(alpha);
  counts ~ multinomial(theta);
  counts ~ multinomial_logit(gamma);
  counts ~ dirichlet_multinomial(conc * theta);
  gamma ~ normal(0, 1);
  conc ~ gamma(2, 0.1);
}
