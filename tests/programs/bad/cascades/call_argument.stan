// A misspelt argument of a built-in call: only the unknown name is reported, not the call's
// signature (issue 11).
data {
  int N;
  vector[N] y;
}
parameters {
  real mu;
  real<lower=0> sigma;
}
model {
  target += normal_lpdf(y | mu, sigmaa);
}
