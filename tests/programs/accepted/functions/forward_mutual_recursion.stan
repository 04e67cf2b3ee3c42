// Mutual recursion made possible by forward declarations of both functions.
functions {
  int is_even(int n);
  int is_odd(int n);
  int is_even(int n) {
    if (n == 0) {
      return 1;
    }
    return is_odd(n - 1);
  }
  int is_odd(int n) {
    if (n == 0) {
      return 0;
    }
    return is_even(n - 1);
  }
}
data {
  int<lower=0> K;
}
transformed data {
  int parity = is_odd(K);
}
parameters {
  real theta;
}
model {
  theta ~ normal(parity, 1);
}
