// Indexing the results of function calls, parenthesised expressions and literals.
data {
  int<lower=2> N;
  vector[N] v;
  matrix[N, N] A;
}
transformed data {
  real smallest = sort_asc(v)[1];
  real largest = sort_desc(v)[1];
  real last_cum = cumulative_sum(v)[N];
  vector[2] seg = segment(v, 1, 2)[1:2];
  real a12 = (A * A)[1, 2];
  row_vector[N] r = (A + A')[2];
  real d = diagonal(A)[1];
  real lit = [1, 2, 3][2];
  int arr_lit = {4, 5, 6}[3];
  real rep = rep_vector(0.5, N)[N];
  int rank_first = sort_indices_asc(v)[1];
}
parameters {
  real mu;
}
model {
  mu ~ normal(smallest + largest + last_cum + sum(seg) + a12 + sum(r) + d + lit + arr_lit + rep + rank_first, 10);
}
