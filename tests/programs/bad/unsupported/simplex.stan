// A `simplex` parameter (not supported yet).
parameters {
  simplex[3] theta;
}
model {
  theta ~ beta(2, 2);
}
