// `_lp` functions (returning and void) that use `~` and `target +=`, called in the model block.
functions {
  real centred_lp(vector z, real tau) {
    z ~ std_normal();
    target += -0.5 * log(tau);
    return tau * sum(z);
  }
  void hierarchical_prior_lp(vector theta, real mu, real tau) {
    theta ~ normal(mu, tau);
    mu ~ normal(0, 5);
    tau ~ cauchy(0, 2.5);
  }
}
data {
  int<lower=1> J;
  vector[J] y;
}
parameters {
  vector[J] z;
  vector[J] theta;
  real mu;
  real<lower=0> tau;
}
model {
  real total = centred_lp(z, tau);
  hierarchical_prior_lp(theta, mu, tau);
  y ~ normal(theta, 1);
}
