// Tuple promotion: element-wise int to real and real to complex in tuple declarations and function arguments.
functions {
  real first_plus_second(tuple(real, real) p) {
    return p.1 + p.2;
  }
}
data {
  int n;
  real x;
}
transformed data {
  tuple(real, real) t1 = (n, x);
  tuple(real, complex) t2 = (1, x);
  tuple(array[2] real, real) t3 = ({1, 2}, n);
  real s = first_plus_second((n, n)) + first_plus_second(t1);
}
parameters {
  real mu;
}
model {
  mu ~ normal(s + t2.1 + sum(t3.1), 1);
}
