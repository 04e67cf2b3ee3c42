// Indexing two-dimensional arrays of vectors: full, partial and chained indexes, and slices at each level.
data {
  int<lower=2> I;
  int<lower=2> J;
  int<lower=3> D;
  array[I, J] vector[D] x;
}
transformed data {
  array[J] vector[D] layer = x[1];
  vector[D] cell = x[1, 2];
  real element = x[1, 2, 3];
  real element_chained = x[1][2][3];
  real element_mixed = x[1, 2][3];
  array[I] vector[D] column = x[:, 1];
  array[I] real column_elements = x[:, 1, 2];
  array[2, J] vector[D] first_two = x[1:2];
  array[J] vector[2] heads = x[2, :, 1:2];
  vector[2] head = x[2, 1, 2:3];
}
parameters {
  vector[D] mu;
}
model {
  for (i in 1:I) {
    for (j in 1:J) {
      x[i, j] ~ normal(mu, 1);
    }
  }
  target += 0 * (sum(layer[1]) + sum(cell) + element + element_chained + element_mixed);
  target += 0 * (sum(column[1]) + sum(column_elements) + sum(first_two[1, 1]) + sum(heads[1]) + sum(head));
}
