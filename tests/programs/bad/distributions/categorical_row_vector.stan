// `categorical` takes a column vector of probabilities; `p` is a row vector.
data {
  int<lower=1> K;
  int<lower=1, upper=K> z;
  row_vector[K] p;
}
parameters {
  real mu;
}
model {
  z ~ categorical(p);
  mu ~ normal(0, 1);
}
