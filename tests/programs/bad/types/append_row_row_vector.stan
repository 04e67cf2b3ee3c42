// `append_row` stacks column vectors; `r` is a row vector.
data {
  vector[2] v;
  row_vector[2] r;
}
transformed data {
  vector[4] w = append_row(v, r);
}
parameters {
  real mu;
}
model {
  mu ~ normal(sum(w), 1);
}
