// Eight schools, no pooling: an effect per school, no log_lik.
data { int J; vector[J] y; vector<lower=0>[J] sigma; }
parameters { vector[J] theta; }
model {
  theta ~ normal(0, 10);
  y ~ normal(theta, sigma);
}
