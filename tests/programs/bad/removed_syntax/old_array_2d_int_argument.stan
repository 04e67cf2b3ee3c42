// Removed two-dimensional array argument type `int[,]`, now `array[,] int`.
functions {
  int count_ones(int[,] table) {
    int n = 0;
    for (i in 1:size(table)) {
      for (j in 1:size(table[i])) {
        n += table[i, j] == 1;
      }
    }
    return n;
  }
}
data {
  array[2, 3] int z;
}
parameters {
  real mu;
}
model {
  mu ~ normal(count_ones(z), 1);
}
