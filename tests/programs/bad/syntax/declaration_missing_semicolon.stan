// A declaration missing its `;` before the next declaration.
data {
  int<lower=1> N
  vector[N] y;
}
parameters {
  real mu;
}
model {
  y ~ normal(mu, 1);
}
