// A `_jacobian` function called in the model block.
functions {
  real to_pos_jacobian(real x) {
    jacobian += x;
    return exp(x);
  }
}
parameters { real x; }
model {
  real s = to_pos_jacobian(x);
  s ~ exponential(1);
}
