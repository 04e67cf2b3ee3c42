data { int N; } parameters { vector[N / 2.0] v; }
