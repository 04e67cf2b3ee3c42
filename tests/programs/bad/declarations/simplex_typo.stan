// The type `simplex` is misspelled `simplx`.
data {
  int K;
}
parameters {
  simplx[K] theta;
}
model {
  theta ~ dirichlet(rep_vector(1, K));
}
