data {
  real w;
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
  target += log(w) + mu;
}
