// Eight schools, complete pooling: one effect for all.
data { int J; vector[J] y; vector<lower=0>[J] sigma; }
parameters { real mu; }
model {
  mu ~ normal(0, 5);
  y ~ normal(mu, sigma);
}
generated quantities {
  vector[J] log_lik;
  for (j in 1:J) log_lik[j] = normal_lpdf(y[j] | mu, sigma[j]);
}
