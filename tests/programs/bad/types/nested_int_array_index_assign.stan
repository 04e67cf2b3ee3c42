// Indexing an int-array multi-index again on the left of an assignment (removed in Stan).
data {
  array[3] int idx;
  array[2] int idx2;
}
parameters {
  vector[5] v;
}
model {
  vector[5] w;
  w[idx][idx2] = v[idx][idx2];
  v ~ normal(0, 1);
}
