// Functions that take and return arrays of vectors and matrices.
functions {
  array[] vector centre_all(array[] vector xs) {
    int n = size(xs);
    array[n] vector[num_elements(xs[1])] out;
    for (i in 1:n) {
      out[i] = xs[i] - mean(xs[i]);
    }
    return out;
  }
  matrix stack_rows(array[] row_vector rs) {
    matrix[size(rs), cols(rs[1])] m;
    for (i in 1:size(rs)) {
      m[i] = rs[i];
    }
    return m;
  }
}
data {
  int<lower=1> N;
  int<lower=1> K;
  array[N] vector[K] x;
  array[N] row_vector[K] r;
}
transformed data {
  array[N] vector[K] xc = centre_all(x);
  matrix[N, K] R = stack_rows(r);
}
parameters {
  vector[K] mu;
}
model {
  for (n in 1:N) {
    xc[n] ~ normal(mu, 1);
  }
  to_vector(R) ~ normal(0, 1);
}
