data { int N; } transformed data { int M = 2.5; }
