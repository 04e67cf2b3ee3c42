functions{real f(real x){return x^2;}
void g(){print("g");}}
data{int<lower = 0>N;vector<lower=-1,upper=1>[N]y;array[N,2]int<lower=0>k;}
parameters{real<multiplier=2,offset=1>mu;real<upper=10,lower=0> s;}
model{
      for(n in 1:N)y[n]~normal(mu,s);
  if(N>0)target+=f(mu);else{target+=0;}
    x[1:2, 3] = (a + b) * c;
  x[a ? b : c : d] = 1;
  for (i in c ? 1 : 2 : N) {}
  z = ((1));
    g();
}
