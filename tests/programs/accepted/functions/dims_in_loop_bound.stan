// A for-loop bound computed by indexing the result of a built-in (dims) inside a function.
functions {
  real grand_total(array[,] real a) {
    real s = 0;
    for (i in 1:dims(a)[1]) {
      s += sum(a[i]);
    }
    return s;
  }
}
data {
  array[2, 3] real a;
}
transformed data {
  real g = grand_total(a);
}
parameters {
  real mu;
}
model {
  mu ~ normal(g, 1);
}
