// Misspelt names in a function that is never called (checked by the type checker alone): only
// the unknown names are reported, not the call, operator, condition, assignment or return type.
functions {
  vector scaled(vector x, real s) {
    vector[rows(x)] out = x * sclae;
    if (flag) {
      out = exp(xx);
    }
    return out + sd_out;
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
