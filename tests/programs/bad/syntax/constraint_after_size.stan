// The constraint is written after the size, `vector[N]<lower=0>`; Stan writes `vector<lower=0>[N]`.
data {
  int N;
}
parameters {
  vector[N]<lower=0> sigma;
}
model {
  sigma ~ exponential(1);
}
