// Range slices a:b, :b, a: and : on vectors, row vectors and arrays, including an empty slice.
data {
  int<lower=4> N;
  vector[N] v;
  row_vector[N] r;
  array[N] int k;
}
transformed data {
  vector[3] middle = v[2:4];
  vector[2] head = v[:2];
  vector[N - 1] tail = v[2:];
  vector[N] all = v[:];
  row_vector[2] r_head = r[1:2];
  array[N - 2] int k_tail = k[3:];
  array[2] int k_head = k[:2];
  vector[0] nothing = v[3:2];
  int lo = 2;
  vector[N - lo + 1] from_lo = v[lo:N];
}
parameters {
  real mu;
}
model {
  mu ~ normal(sum(middle) + sum(head) + sum(tail) + sum(all) + sum(r_head), 10);
  target += 0 * (sum(k_tail) + sum(k_head) + sum(nothing) + sum(from_lo));
}
