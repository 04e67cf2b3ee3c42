/* Header comment
   spanning lines. */
// Before data.
data {
  int N; // trailing on a declaration
  // own line before a declaration
  real y;
  // before the closing brace
}
model { // after the opening brace
  for (n in 1:N) // on the loop header
    y ~ normal(0, 1);
  if (N > 1) {
    // inside then
  } /* between */ else {
    y ~ normal(foo(1, // inside a call
                   2), 1);
  }
}
// At the end.
