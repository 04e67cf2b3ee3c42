// Overloading one name by argument type: int, real, vector and row_vector versions.
functions {
  real magnitude(int x) {
    return abs(x);
  }
  real magnitude(real x) {
    return abs(x);
  }
  real magnitude(vector x) {
    return norm2(x);
  }
  real magnitude(row_vector x) {
    return norm2(x);
  }
}
data {
  int k;
  vector[3] v;
}
parameters {
  real mu;
}
model {
  mu ~ normal(magnitude(k) + magnitude(v) + magnitude(v'), magnitude(-2.5));
}
