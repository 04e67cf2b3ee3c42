// `dirichlet` takes a vector of concentrations, not a single number.
data {
  int<lower=2> K;
}
parameters {
  simplex[K] theta;
}
model {
  theta ~ dirichlet(1);
}
