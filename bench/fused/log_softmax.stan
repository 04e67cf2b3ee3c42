// target += weights (data) times log_softmax of a parameter vector.
data {
  int<lower=1> N;
}
transformed data {
  vector[N] w;
  for (i in 1:N) {
    w[i] = 1 + cos(i);
  }
}
parameters {
  vector[N] x;
}
model {
  target += dot_product(w, log_softmax(x));
}
