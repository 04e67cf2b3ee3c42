// Tuple literals: pairs and triples, nested, containing arrays and vectors, with int-to-real promotion.
data {
  int<lower=1> N;
  vector[N] y;
}
transformed data {
  tuple(int, real) p = (N, mean(y));
  tuple(real, real) promoted = (1, 2);
  tuple(int, real, vector[N]) triple = (N, sd(y), y);
  tuple(array[2] int, tuple(real, int)) nested = ({1, 2}, (0.5, 3));
  tuple(complex, real) with_complex = (1 + 2i, 3);
  real total = p.2 + promoted.1 + promoted.2 + triple.2 + nested.2.1 + nested.1[2];
}
parameters {
  real mu;
}
model {
  mu ~ normal(total, triple.1);
}
