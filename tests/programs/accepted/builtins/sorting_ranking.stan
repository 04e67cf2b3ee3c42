// Sorting and ranking: sort_asc, sort_desc, sort_indices_asc, sort_indices_desc, rank, on vectors and int/real arrays.
data {
  int<lower=1> N;
  vector[N] v;
  array[N] int k;
  array[N] real a;
}
transformed data {
  vector[N] va = sort_asc(v);
  vector[N] vd = sort_desc(v);
  array[N] int ka = sort_asc(k);
  array[N] real ad = sort_desc(a);
  array[N] int idx = sort_indices_asc(v);
  array[N] int idx2 = sort_indices_desc(a);
  int r1 = rank(v, 1);
  int r2 = rank(k, 2);
  vector[N] ordered_by = v[sort_indices_asc(k)];
}
parameters {
  real mu;
}
model {
  mu ~ normal(va[1] + vd[1] + ka[1] + ad[1] + r1 + r2 + ordered_by[N], 10);
}
