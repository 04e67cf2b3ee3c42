// A misspelt argument of a user-defined density, after `~` and in a call: only the unknown
// name is reported, once.
functions {
  real shifted_lpdf(vector y, real mu) {
    return normal_lpdf(y | mu, 1);
  }
}
data {
  int N;
  vector[N] y;
}
parameters {
  real mu;
}
model {
  y ~ shifted(muu);
  target += shifted_lpdf(y | muu);
}
