fn main() {
    std::process::exit(compiler::cli::main());
}
