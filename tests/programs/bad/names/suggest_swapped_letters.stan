// Two neighbouring letters swapped count as one edit: `alpah` is `alpha`.
parameters {
  real alpha;
}
model {
  alpah ~ normal(0, 1);
}
