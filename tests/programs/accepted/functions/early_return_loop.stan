// Early return from a while loop inside a search function over a sorted array.
functions {
  int bin_search(data array[] real breaks, real x) {
    int lo = 1;
    int hi = size(breaks);
    if (x < breaks[1]) {
      return 0;
    }
    while (lo < hi) {
      int mid = (lo + hi + 1) %/% 2;
      if (breaks[mid] <= x) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }
}
data {
  int<lower=1> K;
  array[K] real breaks;
  real x;
}
transformed data {
  int bucket = bin_search(breaks, x);
}
parameters {
  vector[K + 1] level;
}
model {
  level ~ normal(0, 1);
  x ~ normal(level[bucket + 1], 1);
}
