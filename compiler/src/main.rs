/// The front end walks the syntax tree recursively, so its depth follows the program's: a sum
/// of 10,000 terms is a tree 10,000 deep, which overflows the main thread's 8 MiB stack. The
/// program runs on a thread with a 1 GiB stack instead (address space, committed only as used):
/// enough for expressions about a hundred times deeper than any real model's.
const STACK_BYTES: usize = 1 << 30;

fn main() {
    let status = std::thread::Builder::new()
        .name("vppl".into())
        .stack_size(STACK_BYTES)
        .spawn(compiler::cli::main)
        .map(|handle| handle.join().unwrap_or(101));
    match status {
        Ok(status) => std::process::exit(status),
        // No thread could be made (a tight ulimit): run here, with the ordinary stack.
        Err(_) => std::process::exit(compiler::cli::main()),
    }
}
