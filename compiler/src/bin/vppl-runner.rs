//! vppl's model runner: the program `vppl build` copies and appends a model to. It links the
//! runtime alone (no compiler, no Cranelift): `runtime::standalone` is the whole program.

fn main() {
    let code = match std::env::current_exe() {
        Ok(exe) => {
            let words: Vec<String> = std::env::args().skip(1).collect();
            runtime::standalone::main(&exe, &words, &mut std::io::stdout().lock(), &mut std::io::stderr().lock())
        }
        Err(e) => {
            eprintln!("error: cannot find this program's own file: {e}");
            70
        }
    };
    std::process::exit(code);
}
