// Extracting parts: block, sub_col, sub_row, segment, head, tail, row, col, diagonal, and append_row/append_col.
data {
  int<lower=4> N;
  matrix[N, N] M;
  vector[N] v;
}
transformed data {
  matrix[2, 2] B = block(M, 1, 1, 2, 2);
  vector[3] sc = sub_col(M, 1, 2, 3);
  row_vector[3] sr = sub_row(M, 2, 1, 3);
  vector[2] seg = segment(v, 2, 2);
  vector[2] h = head(v, 2);
  vector[2] t = tail(v, 2);
  row_vector[N] r1 = row(M, 1);
  vector[N] c1 = col(M, 1);
  vector[N] d = diagonal(M);
  vector[4] hv = append_row(h, t);
  matrix[2, 4] BB = append_col(B, B);
  matrix[4, 2] BS = append_row(B, B);
  row_vector[N + 1] rr = append_col(r1, 1.0);
  vector[N + 1] vv = append_row(0.0, v);
  array[2] int hi = head({1, 2, 3}, 2);
}
parameters {
  real mu;
}
model {
  mu ~ normal(sum(B) + sum(sc) + sum(sr) + sum(hv) + sum(BB) + sum(BS) + sum(rr) + sum(vv) + sum(d), 10);
}
