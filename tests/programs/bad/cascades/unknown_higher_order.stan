// A misspelt higher-order function: its function argument is not also reported as an
// undeclared variable.
functions {
  real partial_sum(array[] real slice, int start, int end, real mu) {
    return normal_lpdf(slice | mu, 1);
  }
}
data {
  int N;
  array[N] real y;
}
parameters {
  real mu;
}
model {
  target += reduce_summ(partial_sum, y, 1, mu);
}
