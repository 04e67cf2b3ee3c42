// Functions over nested tuples with array and matrix components, returning a tuple built from its arguments.
functions {
  tuple(array[] real, matrix) summarise(array[] vector xs) {
    int n = size(xs);
    int k = num_elements(xs[1]);
    array[n] real means;
    matrix[k, k] S = rep_matrix(0, k, k);
    for (i in 1:n) {
      means[i] = mean(xs[i]);
      S += xs[i] * xs[i]';
    }
    return (means, S / n);
  }
  real weight(tuple(real, tuple(int, vector)) w) {
    return w.1 * w.2.1 + sum(w.2.2);
  }
}
data {
  int<lower=1> N;
  int<lower=1> K;
  array[N] vector[K] x;
}
transformed data {
  tuple(array[N] real, matrix[K, K]) s = summarise(x);
  real w = weight((0.5, (2, rep_vector(1, K))));
}
parameters {
  real mu;
}
model {
  mu ~ normal(mean(s.1) + trace(s.2) + w, 1);
}
