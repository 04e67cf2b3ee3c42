// A `$` character, which cannot appear in a Stan program outside strings and comments.
data {
  real $y;
}
parameters {
  real mu;
}
model {
  $y ~ normal(mu, 1);
}
