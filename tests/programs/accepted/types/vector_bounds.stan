// Bounds on vectors given by vectors, row vectors by row vectors, and mixed scalar/vector bounds.
data {
  int<lower=1> K;
  vector[K] lo;
  vector[K] hi;
  row_vector[K] row_lo;
}
parameters {
  vector<lower=lo, upper=hi>[K] x;
  vector<lower=lo>[K] above;
  vector<lower=0, upper=hi - lo>[K] width;
  row_vector<lower=row_lo>[K] r;
}
model {
  x ~ normal((lo + hi) / 2, 1);
  above ~ normal(lo, 1);
  width ~ normal(0, 1);
  r ~ normal(row_lo, 1);
}
