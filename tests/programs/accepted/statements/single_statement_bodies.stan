// Loop and branch bodies that are single statements without braces, nested several levels deep.
data {
  int<lower=1> N;
  matrix[N, N] A;
}
transformed data {
  real trace_sum = 0;
  real off = 0;
  int i = 0;
  for (r in 1:N)
    for (c in 1:N)
      if (r == c)
        trace_sum += A[r, c];
      else
        off += A[r, c];
  while (i < N)
    i += 1;
  for (r in 1:N)
    if (r > N)
      reject("unreachable");
}
parameters {
  real mu;
}
model {
  mu ~ normal(trace_sum - off, 1);
}
