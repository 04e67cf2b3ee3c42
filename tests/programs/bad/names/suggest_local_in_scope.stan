// Only the variables visible where the name is used are candidates: `total` is local to the
// other loop, so nothing is suggested for `totl`.
data {
  int N;
}
parameters {
  real mu;
}
model {
  for (n in 1:N) {
    real total = n;
  }
  mu ~ normal(totl, 1);
}
