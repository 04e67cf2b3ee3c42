// Each function has its own scope: locals and loop variables of the same names in several functions and in the model.
functions {
  real total(vector v) {
    real acc = 0;
    for (i in 1:num_elements(v)) {
      acc += v[i];
    }
    return acc;
  }
  real total_sq(vector v) {
    real acc = 0;
    for (i in 1:num_elements(v)) {
      acc += v[i] ^ 2;
    }
    return acc;
  }
  real spread(vector v) {
    real acc = total_sq(v) / num_elements(v);
    real m = total(v) / num_elements(v);
    return sqrt(acc - m ^ 2);
  }
}
data {
  int<lower=2> N;
  vector[N] v;
}
parameters {
  real m;
}
model {
  real acc = 0;
  for (i in 1:N) {
    acc += v[i] - m;
  }
  m ~ normal(total(v) / N, spread(v) + 1);
  target += -0.5 * square(acc / N);
}
