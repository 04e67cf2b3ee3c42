// Stand-alone NUTS driver for a stanc-generated Stan model (reference posteriors).
//
// Linked against the model objects that the shared peers harness already built
// (../peers-build/stan/<model>/model.o); compiled with the same flags and the
// headers of the pip-installed httpstan 4.13.0 wheel.  See nuts_reference.py.
//
//   nuts data=FILE out=PREFIX [seed=1 chain=1 num_warmup=1000 num_samples=2000
//        delta=0.8 max_depth=10 init_radius=2 save_warmup=0]
//
// Runs stan::services::sample::hmc_nuts_diag_e_adapt (CmdStan's default sampler:
// diagonal metric, windowed adaptation 75/25/50, stepsize 1, jitter 0) for one
// chain.  `chain` advances the RNG exactly as CmdStan's id=chain does.  Writes
// PREFIX.csv (the sample writer: header, adaptation comments, draws with lp__,
// accept_stat__, stepsize__, treedepth__, n_leapfrog__, divergent__, energy__
// and all constrained parameters) and PREFIX.log; prints one JSON line on stdout.

#include <stan/callbacks/interrupt.hpp>
#include <stan/callbacks/stream_logger.hpp>
#include <stan/callbacks/stream_writer.hpp>
#include <stan/callbacks/writer.hpp>
#include <stan/io/empty_var_context.hpp>
#include <stan/io/json/json_data.hpp>
#include <stan/model/model_base.hpp>
#include <stan/services/sample/hmc_nuts_diag_e_adapt.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

stan::model::model_base& new_model(stan::io::var_context& data_context,
                                   unsigned int seed, std::ostream* msg_stream);

int main(int argc, char** argv) {
  std::map<std::string, std::string> kv;
  for (int i = 2; i < argc; ++i) {
    std::string s(argv[i]);
    auto eq = s.find('=');
    if (eq == std::string::npos) {
      std::cerr << "bad argument " << s << "\n";
      return 2;
    }
    kv[s.substr(0, eq)] = s.substr(eq + 1);
  }
  auto get = [&](const std::string& k, const std::string& d) {
    auto it = kv.find(k);
    return it == kv.end() ? d : it->second;
  };
  auto num = [&](const std::string& k, double d) {
    auto it = kv.find(k);
    return it == kv.end() ? d : std::atof(it->second.c_str());
  };
  if (argc < 2 || std::string(argv[1]) != "nuts") {
    std::cerr << "usage: " << argv[0] << " nuts data=FILE out=PREFIX ...\n";
    return 2;
  }
  unsigned int seed = static_cast<unsigned int>(num("seed", 1));
  unsigned int chain = static_cast<unsigned int>(num("chain", 1));
  int num_warmup = static_cast<int>(num("num_warmup", 1000));
  int num_samples = static_cast<int>(num("num_samples", 2000));
  double delta = num("delta", 0.8);
  int max_depth = static_cast<int>(num("max_depth", 10));
  double init_radius = num("init_radius", 2.0);
  bool save_warmup = num("save_warmup", 0) != 0;
  std::string out = get("out", "nuts");
  try {
    std::ifstream in(get("data", ""));
    if (!in) {
      std::cerr << "cannot open data file\n";
      return 2;
    }
    stan::json::json_data data(in);
    stan::model::model_base& model = new_model(data, seed, &std::cerr);
    std::ofstream draws(out + ".csv");
    std::ofstream log(out + ".log");
    std::ostringstream sink;
    stan::callbacks::stream_writer sample_writer(draws, "# ");
    stan::callbacks::stream_writer init_writer(sink, "# ");
    stan::callbacks::writer diagnostic_writer;  // no-op
    stan::callbacks::stream_logger logger(log, log, log, log, log);
    stan::callbacks::interrupt interrupt;
    stan::io::empty_var_context init;
    stan::io::empty_var_context init_inv_metric_ctx;
    auto t0 = std::chrono::steady_clock::now();
    int rc = stan::services::sample::hmc_nuts_diag_e_adapt(
        model, init, seed, chain, init_radius, num_warmup, num_samples,
        /*num_thin=*/1, save_warmup, /*refresh=*/0,
        /*stepsize=*/1.0, /*stepsize_jitter=*/0.0, max_depth, delta,
        /*gamma=*/0.05, /*kappa=*/0.75, /*t0=*/10.0, /*init_buffer=*/75,
        /*term_buffer=*/50, /*window=*/25, interrupt, logger, init_writer,
        sample_writer, diagnostic_writer);
    double total = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - t0)
                       .count();
    std::cout << "{\"return_code\":" << rc << ",\"chain\":" << chain
              << ",\"total_s\":" << total << "}" << std::endl;
    delete &model;
    return rc;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
