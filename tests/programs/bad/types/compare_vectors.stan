// `<` compares scalars; comparing two vectors has no meaning in Stan.
data {
  int<lower=1> N;
  vector[N] lo;
  vector[N] hi;
}
transformed data {
  if (lo < hi) {
    print("ordered");
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
