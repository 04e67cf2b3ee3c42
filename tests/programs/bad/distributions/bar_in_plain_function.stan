// The `|` notation belongs to densities, mass functions and CDFs only.
data {
  real y;
}
parameters {
  real mu;
}
model {
  target += log_sum_exp(y | mu);
}
