// `auto` is a reserved word (a C++ keyword) and cannot be used as a variable name.
data {
  int auto;
}
parameters {
  real mu;
}
model {
  mu ~ normal(auto, 1);
}
