// An element of a transformed data variable is assigned to in the model block, where it is read-only.
data {
  int N;
  vector[N] y;
}
transformed data {
  vector[N] y_std = (y - mean(y)) / sd(y);
}
parameters {
  real mu;
}
model {
  y_std[1] = 0;
  y_std ~ normal(mu, 1);
}
