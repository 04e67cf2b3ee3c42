// Matrix products and quadratic forms: multiply, crossprod, tcrossprod, quad_form, quad_form_sym, quad_form_diag, trace_quad_form, dot_product, columns_dot_product.
data {
  int<lower=1> N;
  int<lower=1> K;
  matrix[N, K] X;
  vector[K] v;
  cov_matrix[K] S;
}
transformed data {
  matrix[K, K] XtX = crossprod(X);
  matrix[N, N] XXt = tcrossprod(X);
  vector[N] Xv = multiply(X, v);
  real q = quad_form(S, v);
  matrix[K, K] Q = quad_form(S, diag_matrix(v));
  real qs = quad_form_sym(S, v);
  matrix[K, K] QD = quad_form_diag(S, v);
  real tq = trace_quad_form(S, diag_matrix(v));
  real dp = dot_product(v, v) + dot_self(v) + sum(columns_dot_product(X, X)) + sum(rows_dot_product(X, X));
  matrix[K, K] ds = diag_pre_multiply(v, S) + diag_post_multiply(S, v);
  row_vector[K] cd = columns_dot_self(X);
}
parameters {
  vector[K] beta;
}
model {
  beta ~ multi_normal(rep_vector(0, K), XtX + diag_matrix(rep_vector(1, K)));
}
