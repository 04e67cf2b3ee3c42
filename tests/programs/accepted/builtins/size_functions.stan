// Size queries: dims, num_elements, size, rows, cols, on arrays, vectors and matrices, used in loop bounds and declarations.
data {
  int<lower=1> N;
  array[N, 3] real a;
  matrix[N, 2] M;
  vector[N] v;
}
transformed data {
  array[2] int d = dims(a);
  array[2] int dm = dims(M);
  int ne = num_elements(a) + num_elements(M) + num_elements(v);
  int sz = size(a) + size(v) + size(M);
  int rc = rows(M) + cols(M) + rows(v) + cols(v');
  vector[rows(M)] first_col = col(M, 1);
  real total = 0;
  for (i in 1:rows(M)) {
    for (j in 1:cols(M)) {
      total += M[i, j];
    }
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(total + ne + sz + rc + d[1] + dm[2], 10);
}
