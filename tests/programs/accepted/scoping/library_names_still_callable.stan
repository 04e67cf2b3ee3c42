// A variable named like a library function does not hide the function: both e / e() and log / log() are usable.
data {
  real e;
  real log;
}
transformed data {
  real ratio = e / e();
  real shifted = log + log(2);
  real pi = pi();
}
parameters {
  real mu;
}
model {
  mu ~ normal(ratio + shifted, pi);
}
