// One function taking a 2-D real array, an array of matrices and an int array, iterating over each.
functions {
  real grand_total(array[,] real a, array[] matrix ms, array[] int counts) {
    real s = 0;
    for (i in 1:size(a)) {
      s += sum(a[i]);
    }
    for (m in ms) {
      s += sum(m);
    }
    return s + sum(counts);
  }
}
data {
  array[2, 3] real a;
  array[2] matrix[2, 2] ms;
  array[4] int counts;
}
transformed data {
  real g = grand_total(a, ms, counts);
}
parameters {
  real mu;
}
model {
  mu ~ normal(g, 1);
}
