// Misspelt operands of binary, prefix and postfix operators: only the unknown names are
// reported.
data {
  int N;
  vector[N] x;
}
parameters {
  real alpha;
  real beta;
}
model {
  vector[N] eta = alpha + bta * x;
  row_vector[N] r = xx';
  real m = -alpah;
}
