// A misspelt size of a declaration and a misspelt truncation bound: only the unknown names are
// reported.
data {
  int N;
  vector[NN] y;
  real lower_bound;
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1) T[lower_bnd, ];
}
