//! The catalog's [`Status`] of every signature agrees with what the compiler actually accepts.
//!
//! The catalog (in `stdlib`, which the compiler depends on) records which of Stan's signatures
//! vppl compiles, so that `check` and the suggestions can tell "not supported yet" from "no such
//! function". That record is written by hand; this test holds it to the truth by compiling a
//! one-call program for every signature of ordinary argument types and comparing.

use compiler::catalog::{ArgType, BaseType, ReturnType, Signature, Status, signatures};

/// A declaration of `t` named `name`, every size `N`.
fn decl(t: &ArgType, name: &str) -> Option<String> {
    let base = match t.base {
        BaseType::Int => "int",
        BaseType::Real => "real",
        BaseType::Vector => "vector[N]",
        BaseType::RowVector => "row_vector[N]",
        BaseType::Matrix => "matrix[N, N]",
        BaseType::Complex => "complex",
        BaseType::ComplexVector => "complex_vector[N]",
        BaseType::ComplexRowVector => "complex_row_vector[N]",
        BaseType::ComplexMatrix => "complex_matrix[N, N]",
        _ => return None,
    };
    let array = match t.array_dims {
        0 => String::new(),
        d => format!("array[{}] ", vec!["N"; d as usize].join(", ")),
    };
    Some(format!("{array}{base} {name};"))
}

/// The call of `name` on `args`, with `|` after the first argument where Stan requires it.
fn call(name: &str, args: &[String]) -> String {
    match args.split_first() {
        Some((first, rest)) if compiler::catalog::is_conditional(name) => {
            let rest = if rest.is_empty() { String::new() } else { format!(" | {}", rest.join(", ")) };
            format!("{name}({first}{rest})")
        }
        _ => format!("{name}({})", args.join(", ")),
    }
}

/// A program whose only work is one call of `s`, or `None` if its types cannot be declared
/// (function arguments, tuples, variadic tails).
fn program(s: &Signature) -> Option<String> {
    if s.variadic {
        return None;
    }
    let mut data = vec!["int N;".to_string()];
    let mut args = Vec::new();
    for (i, a) in s.args.iter().enumerate() {
        data.push(decl(a, &format!("a{i}"))?);
        args.push(format!("a{i}"));
    }
    let call = call(s.name, &args);
    let data = data.join("\n  ");
    // `_lupdf` and `_lupmf` are only allowed in the model block (or in `_lpdf` functions).
    if s.name.ends_with("_lupdf") || s.name.ends_with("_lupmf") {
        return Some(format!("data {{\n  {data}\n}}\nmodel {{\n  target += {call};\n}}\n"));
    }
    let ReturnType::Type(ret) = &s.ret else { return None };
    let ret = decl(&ArgType { data_only: false, ..*ret }, "r")?;
    let block = result_block(s);
    Some(format!("data {{\n  {data}\n}}\n{block} {{\n  {} = {call};\n}}\n", ret.trim_end_matches(';')))
}

/// Where a call's result is kept: `_jacobian` functions are only allowed in transformed
/// parameters; the others stand anywhere.
fn result_block(s: &Signature) -> &'static str {
    if s.name.ends_with("_jacobian") { "transformed parameters" } else { "generated quantities" }
}

/// The same call with every real-valued argument that may be a parameter made one, in the model
/// block, or `None` where that is the same program or not allowed (`_rng`).
fn program_with_parameters(s: &Signature) -> Option<String> {
    if s.variadic || s.name.ends_with("_rng") {
        return None;
    }
    let mut data = vec!["int N;".to_string()];
    let mut params = Vec::new();
    let mut locals = Vec::new();
    let mut args = Vec::new();
    for (i, a) in s.args.iter().enumerate() {
        let name = format!("a{i}");
        if a.data_only || a.base == BaseType::Int {
            data.push(decl(a, &name)?);
        } else if a.base.is_complex() {
            // A complex argument made of a real parameter of its shape.
            let real = ArgType { base: a.base.complex_to_real(), ..*a };
            params.push(decl(&real, &format!("{name}_re"))?);
            locals.push(format!("{} = {name}_re;", decl(a, &name)?.trim_end_matches(';')));
        } else {
            params.push(decl(a, &name)?);
        }
        args.push(name);
    }
    if params.is_empty() {
        return None;
    }
    let call = call(s.name, &args);
    let ReturnType::Type(ret) = &s.ret else { return None };
    // An integer result of parameters (`is_nan`, `int_step`) goes into a real: a local int
    // would be fine too, but a real accepts both.
    let base = if ret.base == BaseType::Int { BaseType::Real } else { ret.base };
    let ret = decl(&ArgType { data_only: false, base, ..*ret }, "r")?;
    locals.push(format!("{} = {call};", ret.trim_end_matches(';')));
    let block = if s.name.ends_with("_jacobian") { "transformed parameters" } else { "model" };
    Some(format!(
        "data {{\n  {}\n}}\nparameters {{\n  {}\n}}\n{block} {{\n  {}\n}}\n",
        data.join("\n  "),
        params.join("\n  "),
        locals.join("\n  ")
    ))
}

fn compiles(source: &str) -> Result<(), String> {
    let ast = grammar::parse(source).map_err(|d| format!("{d:?}"))?;
    let (lowered, diags) = compiler::sema::check(&ast);
    match lowered {
        Some(_) => Ok(()),
        None => Err(diags.iter().map(|d| d.message.clone()).collect::<Vec<_>>().join("; ")),
    }
}

#[test]
fn implemented_signatures_compile_and_the_others_do_not() {
    let mut tried = 0;
    let mut wrong = Vec::new();
    for s in signatures() {
        let Some(source) = program(s) else { continue };
        tried += 1;
        match (s.status, compiles(&source)) {
            (Status::Implemented, Err(e)) => wrong.push(format!("{s}: marked implemented, but: {e}")),
            (Status::SignatureOnly, Ok(())) => wrong.push(format!("{s}: marked signature-only, but compiles")),
            _ => {}
        }
    }
    assert!(tried > 1000, "only {tried} signatures tried");
    assert!(wrong.is_empty(), "{} of {tried} signatures disagree:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn every_name_the_compiler_knows_has_an_implemented_signature() {
    use compiler::catalog::{distribution, is_builtin, lookup};
    for name in compiler::sema::builtins::known_names() {
        // `fabs` was removed from Stan in 2.33 (`abs` replaces it); vppl still reads it.
        if name == "fabs" {
            assert!(!is_builtin(name));
            continue;
        }
        // A distribution's name (`beta`) may also be a function's that vppl does not compile.
        let full = distribution(name).map_or(name.to_string(), |d| d.density_name());
        assert!(lookup(&full).any(|s| s.status == Status::Implemented), "no implemented signature of `{full}`");
    }
}

#[test]
fn implemented_signatures_compile_with_parameter_arguments() {
    let mut tried = 0;
    let mut wrong = Vec::new();
    for s in signatures().iter().filter(|s| s.status == Status::Implemented) {
        let Some(source) = program_with_parameters(s) else { continue };
        tried += 1;
        if let Err(e) = compiles(&source) {
            wrong.push(format!("{s}: {e}"));
        }
    }
    assert!(tried > 500, "only {tried} signatures tried");
    assert!(wrong.is_empty(), "{} of {tried} signatures fail with parameters:\n{}", wrong.len(), wrong.join("\n"));
}
