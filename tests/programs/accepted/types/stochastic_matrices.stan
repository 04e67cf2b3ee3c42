// Column-stochastic and row-stochastic matrix parameters for transition models.
data {
  int<lower=2> K;
  int<lower=1> T;
  array[T] int<lower=1, upper=K> state;
}
parameters {
  row_stochastic_matrix[K, K] P;
  column_stochastic_matrix[K, K] Q;
}
model {
  for (k in 1:K) {
    P[k]' ~ dirichlet(rep_vector(1, K));
    col(Q, k) ~ dirichlet(rep_vector(2, K));
  }
  for (t in 2:T) {
    target += log(P[state[t - 1], state[t]]);
  }
}
generated quantities {
  row_vector[K] row_sums = rep_row_vector(1, K) * Q;
}
