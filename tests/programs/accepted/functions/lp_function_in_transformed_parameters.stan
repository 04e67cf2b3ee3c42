// An `_lp` function containing `~` and `target +=`, called from transformed parameters.
functions {
  vector centre_lp(vector z, real mu, real tau) {
    z ~ std_normal();
    target += normal_lpdf(mu | 0, 5);
    return mu + tau * z;
  }
}
data {
  int<lower=1> J;
  vector[J] y;
}
parameters {
  vector[J] z;
  real mu;
  real<lower=0> tau;
}
transformed parameters {
  vector[J] theta = centre_lp(z, mu, tau);
}
model {
  tau ~ cauchy(0, 2.5);
  y ~ normal(theta, 1);
}
