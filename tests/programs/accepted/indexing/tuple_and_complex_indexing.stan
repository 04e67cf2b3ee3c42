// Indexing arrays held inside tuples, arrays of tuples, and complex vectors and matrices.
data {
  int<lower=2> N;
  tuple(array[N] int, vector[N]) cols;
  array[N] tuple(real, vector[2]) recs;
  complex_vector[N] z;
  complex_matrix[N, N] Z;
}
transformed data {
  int first_id = cols.1[1];
  vector[2] some = cols.2[1:2];
  real rec_val = recs[2].1;
  real rec_vec = recs[N].2[2];
  complex z1 = z[1];
  complex_vector[2] z_head = z[1:2];
  complex_row_vector[N] z_row = Z[1];
  complex zc = Z[1, N];
}
parameters {
  real mu;
}
model {
  mu ~ normal(first_id + sum(some) + rec_val + rec_vec + get_real(z1 + zc), 10);
  target += 0 * get_imag(sum(z_head) + sum(z_row));
}
