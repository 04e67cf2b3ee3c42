// Removed array syntax in a function's return type: `vector[]`.
functions {
  vector[] split_halves(vector v) {
    return {v[1:2], v[3:4]};
  }
}
parameters {
  vector[4] v;
}
model {
  v ~ normal(0, 1);
}
