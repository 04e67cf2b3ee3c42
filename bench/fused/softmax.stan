// A categorical of N observations with probabilities softmax(x).
data {
  int<lower=1> N;
}
transformed data {
  array[N] int y;
  for (i in 1:N) {
    y[i] = 1 + (i * 7919) % N;
  }
}
parameters {
  vector[N] x;
}
model {
  y ~ categorical(softmax(x));
}
