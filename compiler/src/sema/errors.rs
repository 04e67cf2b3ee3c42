//! Diagnostic constructors for name resolution, type checking and lowering, named after the
//! mistake. Codes E1xxx and W1xxx belong to this phase; [`CODES`] lists each with its meaning
//! (E0xxx, syntax, are in `grammar::CODES`; `vppl explain` prints both).

use grammar::{Diagnostic, Span};

use std::fmt::Display;

/// This phase's diagnostic codes and what each means.
pub const CODES: &[(&str, &str)] = &[
    ("E1001", "A variable used but not declared."),
    ("E1002", "An unknown function, or a variable called as one."),
    ("E1003", "A name declared twice (Stan has no shadowing)."),
    ("E1004", "An operator applied to types it does not take."),
    ("E1005", "A call whose arguments fit no signature."),
    ("E1006", "An assignment or initial value of the wrong type."),
    ("E1007", "An assignment to a read-only variable (argument, loop variable, other block)."),
    ("E1008", "Too many indices."),
    ("E1009", "An index that is not an int or int array."),
    ("E1010", "A condition, or an operand of `&&` or `||`, that is not an int."),
    ("E1011", "A size that is not an int."),
    ("E1012", "`target +=` or `~` where there is no `target`."),
    ("E1013", "A density or CDF called with `,` where Stan wants `|`."),
    ("E1014", "A random number generator outside transformed data and generated quantities."),
    ("E1015", "`~` with an unknown or suffixed distribution name."),
    ("E1017", "An int parameter."),
    ("E1018", "`~` outside the model block."),
    ("E1019", "A function that can end without returning its value."),
    ("E1020", "`break` or `continue` outside a loop."),
    ("E1021", "A function removed from Stan (with its replacement)."),
    ("E1022", "An `_lp` function called where `target` does not exist."),
    ("E1023", "A function defined twice with the same argument types, or with a built-in's."),
    ("E1024", "The value of a `void` function used."),
    ("E1025", "A returning function called as a statement."),
    ("E1026", "A loop bound that is not an int, or a loop over a scalar."),
    ("E1027", "A higher-order call given a function of the wrong shape."),
    ("E1028", "A constrained type on a local variable."),
    ("E1029", "A `return` that does not fit the function's return type."),
    ("E1030", "A parameter passed where an argument must be data only."),
    ("E1031", "`_lupdf`/`_lupmf` outside the model block and density functions."),
    ("E1032", "A higher-order call whose extra arguments the function does not take."),
    ("E1033", "A density's variate of the wrong kind (`_lpdf` int, `_lpmf` real)."),
    ("E1034", "A user function defined with a `_lupdf`/`_lupmf` name."),
    ("E1035", "A truncation bound that is not a scalar."),
    ("E1036", "Truncation of a distribution without both CDFs."),
    ("E1037", "`|` in a call that is not a density or CDF."),
    ("E1038", "A function declared but never defined (or declared differently)."),
    ("E1039", "`return` outside a function."),
    ("E1040", "`jacobian +=`, or a `_jacobian` function's call, outside transformed parameters."),
    ("E1041", "One variable assigned twice, or assigned and read, in a tuple unpacking."),
    ("E1042", "A tuple unpacking whose pattern does not fit the value."),
    ("E1043", "A reserved word or a `__` name declared."),
    ("E1044", "A bound, offset or multiplier of the wrong type."),
    ("E1045", "An array literal whose elements have different types."),
    ("E1046", "An assignment into an indexed multi-index (`m[:][1] = …`)."),
    ("E1047", "A block-level size that depends on something other than data."),
    ("E1048", "A call that fits no signature of a user-defined function."),
    ("E1049", "A call that fits several signatures of a user-defined function equally well."),
    ("E1099", "Valid Stan that vppl cannot compile yet (a warning in `vppl check`)."),
    ("W1001", "Integer division."),
    ("W1002", "`jacobian` as a name (a keyword from Stan 2.36)."),
    ("W1003", "The deprecated `integrate_ode*` solvers."),
    ("W1004", "The deprecated `lkj_cov` distribution."),
];

/// `candidates`: the variables visible where `name` is used.
pub fn undefined_variable<'a>(span: Span, name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Diagnostic {
    let d = Diagnostic::error("E1001", span, format!("cannot find variable `{name}` in this scope"))
        .with_label("not declared before this use");
    if name == "lp__" {
        return d.with_hint("the log density accumulated so far is read with `target()`");
    }
    if crate::catalog::lookup(name).any(|s| s.args.is_empty() && !s.variadic) {
        return d.with_hint(format!("`{name}` is a function of no arguments: write `{name}()`"));
    }
    with_suggestion(d, name, candidates)
}

/// `candidates`: the built-in and user-defined function names.
pub fn unknown_function<'a>(span: Span, name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Diagnostic {
    let d = Diagnostic::error("E1002", span, format!("unknown function `{name}`"))
        .with_label("no built-in or user-defined function has this name");
    with_suggestion(d, name, candidates)
}

/// A call whose name is a variable: `mu(1)`.
pub fn variable_called(span: Span, name: &str) -> Diagnostic {
    Diagnostic::error("E1002", span, format!("`{name}` is a variable, not a function"))
        .with_label("called here")
        .with_hint(format!("to index it, use brackets: `{name}[...]`"))
}

pub fn duplicate_declaration(span: Span, name: &str, previous: Span) -> Diagnostic {
    Diagnostic::error("E1003", span, format!("`{name}` is declared twice"))
        .with_label("second declaration here")
        .with_secondary(previous, "first declared here")
        .with_hint("rename one of the two variables")
}

pub fn mismatched_operands(span: Span, op: &str, lhs: impl Display, rhs: impl Display) -> Diagnostic {
    let (lhs, rhs) = (lhs.to_string(), rhs.to_string());
    let d = Diagnostic::error("E1004", span, format!("no operator `{op}` for operands of type `{lhs}` and `{rhs}`"))
        .with_label(format!("`{lhs}` {op} `{rhs}`"));
    // Linear algebra's shape rules, where a user most often means something else.
    let hint = match (op, lhs.as_str(), rhs.as_str()) {
        ("*", "vector", "vector") => "for the elementwise product write `a .* b`; for the dot product `a' * b`",
        ("*", "row_vector", "row_vector") => "for the elementwise product write `a .* b`; for the dot product `a * b'`",
        ("*", "vector", "matrix") => "a vector is a column; to multiply a row by the matrix write `v' * A`",
        ("*", "matrix", "row_vector") => {
            "a matrix multiplies a column on its right: a vector `v`, or `r'` for a row_vector `r` (drop a `'` that made the row)"
        }
        ("/", "vector", "vector") | ("/", "row_vector", "row_vector") => "for elementwise division write `a ./ b`",
        ("^", "vector" | "row_vector" | "matrix", _) => "for elementwise powers write `a .^ b`",
        _ => return d,
    };
    d.with_hint(hint)
}

pub fn wrong_arguments(span: Span, name: &str, found: &[impl Display], expected: &str) -> Diagnostic {
    let found: Vec<String> = found.iter().map(|t| t.to_string()).collect();
    Diagnostic::error("E1005", span, format!("`{name}` cannot be called with arguments ({})", found.join(", ")))
        .with_label("no signature matches these argument types")
        .with_hint(format!("`{name}` takes {expected}"))
}

/// `y ~ dist(args)` whose types or count fit no signature. The variate is not an argument of
/// the distribution as written, so it is named apart (counting it would mislead).
pub fn tilde_arguments(
    span: Span,
    dist: &str,
    types: &[impl Display],
    arity: usize,
    density: Option<&str>,
) -> Diagnostic {
    let (variate, args) = match types.split_first() {
        Some((v, rest)) => (v.to_string(), rest.iter().map(|t| t.to_string()).collect::<Vec<_>>()),
        None => (String::from("?"), Vec::new()),
    };
    let given = args.len();
    let d = Diagnostic::error(
        "E1005",
        span,
        format!(
            "`~ {dist}` cannot take {} `{variate}` variate with arguments ({})",
            article(&variate),
            args.join(", ")
        ),
    );
    let d = if given == arity {
        d.with_label("no signature matches these types")
    } else {
        let s = if arity == 1 { "" } else { "s" };
        d.with_label(format!("{given} given, `{dist}` takes {arity} argument{s} after `~`"))
    };
    match density {
        Some(f) => d.with_hint(format!("the density is {f}; `~` supplies the variate (the part before `|`)")),
        None => d.with_hint("the variate and each argument are a scalar or a one-dimensional container"),
    }
}

/// "an" before a type that starts with a vowel (`an int`, `an array[] real`), "a" otherwise.
fn article(ty: &str) -> &'static str {
    if ty.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
}

pub fn assign_type_mismatch(span: Span, name: &str, target: impl Display, value: impl Display) -> Diagnostic {
    Diagnostic::error("E1006", span, format!("cannot assign a value of type `{value}` to `{name}` of type `{target}`"))
        .with_label(format!("this is `{value}`"))
}

pub fn assign_to_readonly(span: Span, name: &str, block: &str) -> Diagnostic {
    Diagnostic::error("E1007", span, format!("cannot assign to `{name}`: it was declared in the {block} block"))
        .with_label("read-only here")
        .with_hint("only variables declared in the current block (or local variables) can be assigned")
}

/// Words Stan reserves although vppl's grammar reads them as names: the words of `<lower=…>`
/// and of block headings, C++ words stanc3 refuses, and the compiler's `__` suffix.
const RESERVED: [&str; 19] = [
    "lower",
    "upper",
    "offset",
    "multiplier",
    "transformed",
    "generated",
    "quantities",
    "var",
    "true",
    "false",
    "repeat",
    "until",
    "then",
    "struct",
    "auto",
    "export",
    "extern",
    "typedef",
    "static",
];

/// A declared name Stan does not allow.
pub fn reserved_name(span: Span, name: &str) -> Option<Diagnostic> {
    if RESERVED.contains(&name) {
        return Some(
            Diagnostic::error("E1043", span, format!("`{name}` is a reserved word and cannot be a name"))
                .with_label("reserved word")
                .with_hint(format!("choose another name, such as `{name}_`")),
        );
    }
    let stem = name.strip_suffix("__")?;
    let d = Diagnostic::error("E1043", span, format!("`{name}` ends in `__`, which Stan reserves for the compiler"))
        .with_label("reserved suffix");
    Some(if stem.is_empty() || stem.ends_with('_') { d } else { d.with_hint(format!("call it `{stem}`")) })
}

/// A prefix or postfix operator (`!`, `-`, `'`) applied to a type it does not take.
pub fn bad_unary_operand(span: Span, op: &str, ty: impl Display) -> Diagnostic {
    let ty = ty.to_string();
    let d = Diagnostic::error("E1004", span, format!("no operator `{op}` for an operand of type `{ty}`"))
        .with_label(format!("this is `{ty}`"));
    match op {
        "!" if ty == "real" => {
            d.with_hint("write the test, as in `x == 0`: Stan no longer treats a nonzero real as true")
        }
        "!" => d.with_hint("`!` negates an int (0 is false); to test elements, compare them, as in `v == 0`"),
        "'" if ty.starts_with("array[] ") => d.with_hint(
            "`'` transposes a vector, row_vector or matrix; convert the array first, as in `to_row_vector(a)`",
        ),
        "'" => d.with_hint("`'` transposes a vector, row_vector or matrix"),
        _ => d,
    }
}

/// An array literal `{a, b}` whose elements have different types.
pub fn array_literal_mismatch(span: Span, first: impl Display, this: impl Display, first_span: Span) -> Diagnostic {
    Diagnostic::error("E1045", span, format!("the elements of an array must have one type: `{first}`, then `{this}`"))
        .with_label(format!("this is `{this}`"))
        .with_secondary(first_span, format!("the first element is `{first}`"))
        .with_hint("`{...}` builds an array of one element type (ints promote to reals); `[...]` builds a row_vector")
}

/// `for (x in e)` over a scalar.
pub fn cannot_loop_over(span: Span, ty: impl Display) -> Diagnostic {
    let ty = ty.to_string();
    let d = Diagnostic::error("E1026", span, format!("cannot loop over a value of type `{ty}`"))
        .with_label("not an array, vector or matrix");
    if ty == "int" { d.with_hint("to count from 1 to N, write `for (i in 1:N)`") } else { d }
}

pub fn bound_type(
    span: Span,
    what: &str,
    name: &str,
    declared: impl Display,
    found: impl Display,
    int: bool,
) -> Diagnostic {
    let declared = declared.to_string();
    let allowed = match (int, declared.as_str()) {
        (true, "int") => "an int".to_string(),
        (true, _) => format!("an int, or of type `{declared}`"),
        (false, "real") => "an int or a real".to_string(),
        (false, _) => format!("a scalar, or of type `{declared}`"),
    };
    let d = Diagnostic::error("E1044", span, format!("the {what} of `{name}` must be {allowed}, found `{found}`"))
        .with_label(format!("this is `{found}`"));
    if int {
        d.with_hint(format!("declare `{name}` as a real, or give an int {what}"))
    } else if declared == "real" {
        d.with_hint(format!("to bound elementwise, declare `{name}` with the bound's type; otherwise give one number"))
    } else {
        d.with_hint("a container bound applies elementwise and must have the variable's own type")
    }
}

pub fn unpack_mismatch(span: Span, places: usize, ty: impl Display, rhs: Span) -> Diagnostic {
    let ty = ty.to_string();
    let d = Diagnostic::error("E1042", span, format!("cannot unpack a `{ty}` into {places} places"))
        .with_label(format!("{places} places"))
        .with_secondary(rhs, format!("this is a `{ty}`"));
    if ty.starts_with("tuple(") {
        d.with_hint("the pattern needs one place per element of the tuple")
    } else {
        d.with_hint("only a tuple can be unpacked")
    }
}

pub fn not_indexable(span: Span, ty: impl Display, n: usize) -> Diagnostic {
    Diagnostic::error("E1008", span, format!("too many indices: a value of type `{ty}` cannot take {n}"))
        .with_label("indexed here")
}

pub fn index_not_int(span: Span, ty: impl Display) -> Diagnostic {
    Diagnostic::error("E1009", span, format!("an index must be an int or an array of ints, found `{ty}`"))
        .with_label("this index")
}

/// Stan's conditions (`if`, `while`, `?:`, `!`, `&&`, `||`) take an int; a real condition was
/// removed in Stan 2.34, and a comparison gives the intended test.
pub fn condition_not_int(span: Span, ty: impl Display) -> Diagnostic {
    truth_value_not_int(span, "a condition must be an int", "this condition", ty)
}

/// An operand of `&&` or `||` that is not an int (Stan's truth values are ints).
pub fn logical_operand_not_int(span: Span, op: &str, ty: impl Display) -> Diagnostic {
    truth_value_not_int(span, &format!("the operands of `{op}` must be ints"), "this operand", ty)
}

/// E1010, with the hint for a real (a truth value before Stan 2.34).
fn truth_value_not_int(span: Span, must: &str, label: &str, ty: impl Display) -> Diagnostic {
    let ty = ty.to_string();
    let d = Diagnostic::error("E1010", span, format!("{must}, found `{ty}`")).with_label(label);
    if ty == "real" {
        d.with_hint("compare explicitly, as in `x != 0`: Stan no longer treats a nonzero real as true")
    } else {
        d
    }
}

pub fn loop_bound_not_int(span: Span, ty: impl Display) -> Diagnostic {
    Diagnostic::error("E1026", span, format!("a loop bound must be an int, found `{ty}`"))
        .with_label("this bound")
        .with_hint("loop over a container with `for (x in xs)`, or convert with `to_int`")
}

pub fn size_not_int(span: Span, ty: impl Display) -> Diagnostic {
    Diagnostic::error("E1011", span, format!("a size must be an int, found `{ty}`")).with_label("this size")
}

pub fn target_outside_model(span: Span) -> Diagnostic {
    Diagnostic::error("E1012", span, "`target` can only be incremented in the model block or in `_lp` functions")
        .with_label("not allowed here")
}

pub fn sampling_outside_model(span: Span, block: &str) -> Diagnostic {
    Diagnostic::error("E1018", span, format!("sampling statements (`~`) are not allowed in the {block} block"))
        .with_label("only the model block (and `_lp` functions) can sample")
        .with_hint("move this statement to the model block")
}

pub fn outside_loop(span: Span, word: &str) -> Diagnostic {
    Diagnostic::error("E1020", span, format!("`{word}` outside a loop"))
        .with_label(format!("`{word}` can only appear inside `for` or `while`"))
}

/// In a function body, `return` is what leaves early.
pub fn outside_loop_in_function(span: Span, word: &str) -> Diagnostic {
    outside_loop(span, word).with_hint("to leave the function early, use `return`")
}

/// The code of [`not_supported`]: the program is valid, vppl cannot compile it yet.
pub const NOT_SUPPORTED: &str = "E1099";

pub fn not_supported(span: Span, what: &str) -> Diagnostic {
    Diagnostic::error(NOT_SUPPORTED, span, format!("not supported yet: {what}"))
        .with_label("vppl cannot compile this construct yet")
}

/// A built-in function or distribution (`name`, as `vppl functions` takes it) that vppl does
/// not compile, or not with these arguments.
pub fn function_not_supported(span: Span, what: &str, name: &str) -> Diagnostic {
    not_supported(span, what)
        .with_hint(format!("run `vppl functions {name}` to see which of its signatures vppl compiles"))
}

pub fn jacobian_outside_transformed_parameters(span: Span) -> Diagnostic {
    Diagnostic::error(
        "E1040",
        span,
        "`jacobian +=` can only be used in transformed parameters and in `_jacobian` functions",
    )
    .with_label("not allowed here")
    .with_hint("a change of variables belongs where the transformed parameter is defined; elsewhere use `target +=`")
}

pub fn jacobian_function_outside(span: Span, name: &str) -> Diagnostic {
    Diagnostic::error(
        "E1040",
        span,
        format!("`{name}` adds to the Jacobian and can only be called in transformed parameters"),
    )
    .with_label("a `_jacobian` function called here")
    .with_hint("call it where the transformed parameter it changes is defined, or from another `_jacobian` function")
}

pub fn return_outside_function(span: Span) -> Diagnostic {
    Diagnostic::error("E1039", span, "`return` outside a function")
        .with_label("`return` can only appear in the body of a function")
        .with_hint("to skip the rest of a block, put it inside `if (...) { ... }`")
}

/// An error lowering found in a program the type checker accepts: valid Stan that vppl cannot
/// compile yet. The original message says what lowering saw.
pub fn valid_but_not_compiled(d: &Diagnostic) -> Diagnostic {
    let what = match d.code {
        "E1004" => "this operator with these operand types",
        "E1005" => "this signature of the function",
        "E1006" => "this assignment",
        _ => "this construct",
    };
    let what = format!("{what} (vppl found: {})", d.message);
    // E1005's message starts with the function, or with the distribution after `~`, in
    // backticks (`wrong_arguments`, `tilde_arguments`).
    let called = d.message.split('`').nth(1).map(|s| s.trim_start_matches("~ "));
    match called.filter(|n| crate::catalog::is_builtin(n) || crate::catalog::distribution(n).is_some()) {
        Some(name) if d.code == "E1005" => function_not_supported(d.span, &what, name),
        _ => not_supported(d.span, &what),
    }
}

pub fn int_division(span: Span) -> Diagnostic {
    Diagnostic::warning("W1001", span, "integer division truncates the result")
        .with_label("both operands are int")
        .with_hint("write `1.0 * a / b` for real division, or `a %/% b` to make the truncation explicit")
}

/// `normal_lpdf(y, mu, sigma)`: reported at the comma that should be `|`, with the call as it
/// should be written. `args` has at least two elements.
pub fn lpdf_needs_bar(name_span: Span, name: &str, args: &[grammar::ast::Expr]) -> Diagnostic {
    let (first, rest) = (&args[0], &args[1..]);
    let comma = Span::new(first.span.end as usize, rest[0].span.start as usize);
    let rest: Vec<String> = rest.iter().map(ToString::to_string).collect();
    Diagnostic::error("E1013", comma, format!("`{name}` needs a `|` after its first argument"))
        .with_label("write `|` here")
        .with_secondary(name_span, "a density, mass function or CDF")
        .with_hint(format!("write `{name}({first} | {})`", rest.join(", ")))
}

pub fn rng_outside_gq(span: Span, name: &str) -> Diagnostic {
    Diagnostic::error(
        "E1014",
        span,
        format!("`{name}` draws random numbers and can only be used in transformed data or generated quantities"),
    )
    .with_label("random number generator called here")
}

/// `candidates`: the distributions `~` can name (built-in, and the user's densities).
pub fn tilde_unknown(span: Span, name: &str, candidates: &[&str]) -> Diagnostic {
    // A suffixed name: `~` takes the distribution's bare name.
    let suffixes = ["_lpdf", "_lpmf", "_lupdf", "_lupmf", "_lcdf", "_lccdf", "_cdf", "_ccdf", "_rng", "_log"];
    if let Some((base, suffix)) =
        suffixes.iter().find_map(|s| name.strip_suffix(s).map(|b| (b, *s))).filter(|(b, _)| candidates.contains(b))
    {
        let d =
            Diagnostic::error("E1015", span, format!("`~` takes a distribution's name without the `{suffix}` suffix"))
                .with_label(format!("write `{base}`"));
        return match suffix {
            "_lpdf" | "_lpmf" | "_lupdf" | "_lupmf" | "_log" => {
                d.with_hint(format!("`y ~ {base}(...)` adds `{base}{}(y | ...)` to the target", &suffix.replace("_lu", "_l")))
            }
            "_rng" => d.with_hint(format!(
                "`y ~ {base}(...)` states the distribution of `y`; to draw from it, write `y = {name}(...)` in generated quantities"
            )),
            _ => d.with_hint(format!(
                "a cumulative distribution cannot be sampled; write `target += {base}_lcdf(y | ...);` (or `_lccdf`) to add its log"
            )),
        };
    }
    let d = Diagnostic::error("E1015", span, format!("unknown distribution `{name}`"))
        .with_label("no `_lpdf` or `_lpmf` with this name");
    with_suggestion(d, name, candidates.iter().copied())
}

pub fn parameter_int(span: Span) -> Diagnostic {
    Diagnostic::error("E1017", span, "parameters must be real-valued; an `int` cannot be a parameter")
        .with_label("declared as int")
        .with_hint("declare it in the data block, or marginalise the discrete parameter out")
}

/// The one "did you mean" rule of every unknown name (variable, function or distribution):
/// among `candidates`, the name the user most likely meant. In order: the same name in other
/// case (`Sigma` for `sigma`); a density or mass function written without its suffix (`normal`
/// for `normal_lpdf`); the nearest by Damerau–Levenshtein distance (a swap of two neighbouring
/// letters counts one), if it is within a third of the name's length. Ties go to the candidate
/// that shares the longest start with `name` (`sqrt` rather than `qr` for `sqr`), then to the
/// first in alphabetical order, so the answer never depends on the candidates' order.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let candidates: Vec<&str> = candidates.into_iter().filter(|c| *c != name).collect();
    if let Some(c) = candidates.iter().copied().filter(|c| c.eq_ignore_ascii_case(name)).min() {
        return Some(c);
    }
    for suffix in ["_lpdf", "_lpmf"] {
        if let Some(c) = candidates.iter().copied().find(|c| c.strip_suffix(suffix) == Some(name)) {
            return Some(c);
        }
    }
    let limit = (name.chars().count() + 1) / 3;
    let lower = name.to_lowercase();
    let shared_start = |c: &str| c.chars().zip(name.chars()).take_while(|(a, b)| a == b).count();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&lower, &c.to_lowercase()), std::cmp::Reverse(shared_start(c)), c))
        .filter(|(d, _, _)| *d <= limit)
        .min()
        .map(|(_, _, c)| c)
}

/// The optimal-string-alignment form of Damerau–Levenshtein distance: insertions, deletions,
/// substitutions and transpositions of neighbours each cost one.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // `rows[i][j]` is the distance between the first i letters of a and the first j of b.
    let mut rows = vec![vec![0; b.len() + 1]; a.len() + 1];
    rows[0] = (0..=b.len()).collect();
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1).min(rows[i][j - 1] + 1).min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
        }
    }
    rows[a.len()][b.len()]
}

/// The hint of [`suggest`], if it has an answer.
fn with_suggestion<'a>(d: Diagnostic, name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Diagnostic {
    match suggest(name, candidates) {
        Some(best) => d.with_hint(format!("did you mean `{best}`?")),
        None => d,
    }
}

/// How to write a call of a function Stan removed (in 2.33), or `None` if `name` was not removed.
pub fn removed_function_hint(name: &str) -> Option<String> {
    let renamed = match name {
        "if_else" => return Some("use the conditional operator instead: `cond ? a : b`".to_string()),
        "multiply_log" => "lmultiply",
        "fabs" => "abs",
        "binomial_coefficient_log" => "lchoose",
        "cov_exp_quad" => "gp_exp_quad_cov",
        _ => {
            // The `_log` suffixes of distributions became `_lpdf`/`_lpmf`, `_lcdf` and `_lccdf`,
            // and the first argument is now separated by `|`.
            let modern = |suffix: &str, new_suffix: Option<&str>| {
                let base = name.strip_suffix(suffix)?;
                let d = crate::catalog::distribution(base)?;
                Some(new_suffix.map_or_else(|| d.density_name(), |s| format!("{base}{s}")))
            };
            let modern = modern("_cdf_log", Some("_lcdf"))
                .or_else(|| modern("_ccdf_log", Some("_lccdf")))
                .or_else(|| modern("_log", None))?;
            return Some(format!("write `{modern}(y | ...)`, with `|` after the first argument"));
        }
    };
    Some(format!("use `{renamed}` instead"))
}

pub fn removed_function(span: Span, name: &str, hint: &str) -> Diagnostic {
    Diagnostic::error("E1021", span, format!("`{name}` was removed from Stan"))
        .with_label("removed function")
        .with_hint(hint)
}

pub fn unnormalised_outside_model(span: Span, name: &str, normalised: &str) -> Diagnostic {
    Diagnostic::error(
        "E1031",
        span,
        format!("`{name}` can only be called in the model block or in `_lpdf`/`_lpmf` functions"),
    )
    .with_label("the constant terms it drops would change this value")
    .with_hint(format!("call `{normalised}`, which includes every term"))
}

/// The old ODE interface, which Stan still accepts (until 3.0, since the new one differs in
/// more than spelling) with a deprecation warning.
pub fn deprecated_ode(span: Span, name: &str) -> Option<Diagnostic> {
    let solver = match name {
        "integrate_ode" | "integrate_ode_rk45" => "rk45",
        "integrate_ode_bdf" => "bdf",
        "integrate_ode_adams" => "adams",
        _ => return None,
    };
    Some(
        Diagnostic::warning("W1003", span, format!("`{name}` is deprecated and will be removed in Stan 3.0"))
            .with_label("deprecated function")
            .with_hint(format!(
                "use `ode_{solver}(f, y0, t0, ts, ...)`, whose system function takes its arguments directly: \
                 `vector f(real t, vector y, ...)`"
            )),
    )
}

/// `lkj_cov`, which Stan still accepts but will remove.
pub fn deprecated_lkj_cov(span: Span) -> Diagnostic {
    Diagnostic::warning("W1004", span, "the `lkj_cov` distribution is deprecated and will be removed in Stan 3.0")
        .with_label("deprecated distribution")
        .with_hint(
            "give the correlation matrix's Cholesky factor an `lkj_corr_cholesky` prior and the scales their own \
             prior, then combine them with `diag_pre_multiply`",
        )
}

/// A name Stan still accepts but will reserve: `jacobian` (the statement `jacobian += ...`).
pub fn future_keyword(span: Span, name: &str, version: &str) -> Diagnostic {
    Diagnostic::warning("W1002", span, format!("`{name}` will be a reserved word in Stan {version}"))
        .with_label("declared here")
        .with_hint(format!("rename `{name}`: later versions of Stan will refuse this program"))
}

pub fn redefines_builtin(span: Span, name: &str) -> Diagnostic {
    Diagnostic::error("E1023", span, format!("`{name}` with these argument types is a built-in function"))
        .with_label("redefines the library's signature")
        .with_hint(
            "rename the function, or give it argument types the library's `{name}` does not take"
                .replace("{name}", name),
        )
}

pub fn function_defined_twice(span: Span, name: &str, previous: Span) -> Diagnostic {
    Diagnostic::error("E1023", span, format!("`{name}` is defined twice with the same argument types"))
        .with_label("second definition here")
        .with_secondary(previous, "first defined here")
        .with_hint("overloads must differ in the types of their arguments; remove or rename one")
}

pub fn void_as_value(span: Span, name: &str) -> Diagnostic {
    Diagnostic::error("E1024", span, format!("`{name}` returns nothing (`void`), so its call has no value"))
        .with_label("used as a value here")
        .with_hint("call it as a statement, `name(...);`, or declare a return type")
}

pub fn value_as_statement(span: Span, name: &str) -> Diagnostic {
    Diagnostic::error("E1025", span, format!("the value of `{name}` is thrown away"))
        .with_label("a function that returns a value, called as a statement")
        .with_hint("assign the result to a variable, or make the function `void`")
}

/// A built-in function called for nothing: every built-in returns a value. A density called
/// this way is most likely a forgotten `target +=`, which would drop it from the model.
pub fn builtin_as_statement(span: Span, name: &str) -> Diagnostic {
    let d = Diagnostic::error("E1025", span, format!("the value of `{name}` is thrown away"))
        .with_label("a built-in function called as a statement");
    let density = ["_lpdf", "_lupdf", "_lpmf", "_lupmf", "_lcdf", "_lccdf"].iter().any(|s| name.ends_with(s));
    if density {
        d.with_hint(format!("to add it to the log density, write `target += {name}(...);`"))
    } else if name.ends_with("_rng") {
        d.with_hint("keep the draw: assign it to a variable")
    } else {
        d.with_hint("built-in functions change nothing; assign the result to a variable")
    }
}

pub fn target_in_plain_function(span: Span, function: &str) -> Diagnostic {
    Diagnostic::error(
        "E1012",
        span,
        format!("`target` can only be incremented in `_lp` functions, and `{function}` is not one"),
    )
    .with_label("not allowed in this function")
    .with_hint(format!("rename the function to `{function}_lp`"))
}

pub fn rng_in_plain_function(span: Span, name: &str, function: &str) -> Diagnostic {
    Diagnostic::error(
        "E1014",
        span,
        format!(
            "`{name}` draws random numbers and can only be called in `_rng` functions, and `{function}` is not one"
        ),
    )
    .with_label("random number generator called here")
    .with_hint(format!("rename the function to `{function}_rng`"))
}

pub fn lp_function_outside_model(span: Span, name: &str) -> Diagnostic {
    Diagnostic::error("E1022", span, format!("`{name}` can only be called where `target` exists"))
        .with_label("an `_lp` function called outside the model block")
        .with_hint("call `_lp` functions in the model or transformed parameters block, or from another `_lp` function")
}

pub fn return_type_mismatch(span: Span, function: &str, expected: impl Display, found: impl Display) -> Diagnostic {
    Diagnostic::error("E1029", span, format!("`{function}` returns `{expected}`, but this is `{found}`"))
        .with_label(format!("this is `{found}`"))
        .with_hint(format!("return a value of type `{expected}`, or change the declared return type of `{function}`"))
}

pub fn missing_return(span: Span, function: &str) -> Diagnostic {
    Diagnostic::error("E1019", span, format!("function `{function}` can end without returning a value"))
        .with_label("a path through here reaches the end of the body without a `return`")
        .with_hint("end every path through the function with `return …;`")
}

/// `target()` exists where the log density is being accumulated (stanc3 also accepts it in
/// transformed parameters, where `_lp` functions may be called).
pub fn target_read_outside_model(span: Span, function: Option<&str>) -> Diagnostic {
    let d = Diagnostic::error(
        "E1012",
        span,
        "`target()` can only be read in the model block, transformed parameters or `_lp` functions",
    )
    .with_label("the log density is not being accumulated here");
    match function {
        Some(f) => d.with_hint(format!("rename the function to `{f}_lp`")),
        None => d.with_hint("read it in the model block; the output's `lp__` column holds each draw's log density"),
    }
}

pub fn transformed_parameter_int(span: Span) -> Diagnostic {
    Diagnostic::error(
        "E1017",
        span,
        "transformed parameters must be real-valued; an `int` cannot be a transformed parameter",
    )
    .with_label("declared as int")
    .with_hint("declare it in generated quantities, or as a local variable inside a nested block `{ … }`")
}

/// A function argument of a higher-order function whose signature is not the one it calls.
/// `role` names what the function is to the caller ("ODE system"), `problem` what is wrong,
/// `shape` the signature it needs.
pub fn wrong_functional(
    span: Span,
    function: &str,
    caller: &str,
    role: &str,
    problem: &str,
    definition: Span,
    shape: &str,
) -> Diagnostic {
    Diagnostic::error("E1027", span, format!("`{function}` cannot be the {role} of `{caller}`"))
        .with_label(problem)
        .with_secondary(definition, format!("`{function}` is defined here"))
        .with_hint(format!("the {role} must be `{shape}`"))
}

pub fn builtin_functional(span: Span, function: &str, caller: &str, role: &str, shape: &str) -> Diagnostic {
    Diagnostic::error("E1027", span, format!("`{function}` cannot be the {role} of `{caller}`"))
        .with_label("a built-in function")
        .with_hint(format!("define the {role} in the functions block: `{shape}`"))
}

/// The arguments after a higher-order function's own ones are passed on to its function
/// argument, after the leading parameters the caller fills in.
pub fn wrong_extra_count(
    span: Span,
    caller: &str,
    function: &str,
    given: usize,
    expected: &[String],
    definition: Span,
) -> Diagnostic {
    let takes = if expected.is_empty() { "none".to_string() } else { expected.join(", ") };
    let plural = |n: usize| if n == 1 { "argument" } else { "arguments" };
    Diagnostic::error(
        "E1032",
        span,
        format!("`{caller}` passes {given} {} on to `{function}`, which takes {}", plural(given), expected.len()),
    )
    .with_label(if given > expected.len() {
        format!("more arguments than `{function}` takes")
    } else {
        format!("`{function}` also needs {}", expected[given..].join(", "))
    })
    .with_secondary(definition, format!("`{function}` is defined here"))
    .with_hint(format!("after its own arguments, `{caller}` needs one argument for each of these parameters: {takes}"))
}

pub fn wrong_extra_type(
    span: Span,
    caller: &str,
    function: &str,
    param: &str,
    expected: impl Display,
    found: impl Display,
    param_span: Span,
) -> Diagnostic {
    Diagnostic::error(
        "E1032",
        span,
        format!("`{caller}` passes this to `{param}` of `{function}`, which is `{expected}`, not `{found}`"),
    )
    .with_label(format!("this is `{found}`"))
    .with_secondary(param_span, format!("`{param}` is declared `{expected}` here"))
}

/// A user-defined `_lpdf` with an int variate or `_lpmf` with a real one.
pub fn density_variate(span: Span, function: &str, param: &str, found: impl Display, name_span: Span) -> Diagnostic {
    let (base, is_pdf) = match function.strip_suffix("_lpdf") {
        Some(base) => (base, true),
        None => (function.strip_suffix("_lpmf").unwrap_or(function), false),
    };
    let (what, wants, other) = if is_pdf {
        ("a density (`_lpdf`)", "a real", "_lpmf")
    } else {
        ("a mass function (`_lpmf`)", "an int", "_lpdf")
    };
    Diagnostic::error("E1033", span, format!("{what} takes {wants} variate, but `{param}` is `{found}`"))
        .with_label(format!("the variate `{param}` is `{found}`"))
        .with_secondary(name_span, format!("the suffix makes `{function}` {what}"))
        .with_hint(format!("rename it `{base}{other}`"))
}

/// A user-defined density, mass function or CDF that does not return `real`.
pub fn density_return_type(span: Span, function: &str, found: &str, name_span: Span) -> Diagnostic {
    Diagnostic::error(
        "E1033",
        span,
        format!("`{function}` must return `real`: densities, mass functions and CDFs return a (log) probability"),
    )
    .with_label(format!("declared `{found}`"))
    .with_secondary(name_span, "its suffix makes it a probability function")
    .with_hint(format!("declare `real {function}(...)` and return the value"))
}

pub fn unnormalised_definition(span: Span, function: &str, normalised: &str) -> Diagnostic {
    let base = normalised.trim_end_matches("_lpdf").trim_end_matches("_lpmf");
    Diagnostic::error(
        "E1034",
        span,
        format!("`{function}` cannot be defined: user-defined densities are defined as `{normalised}`"),
    )
    .with_label("`_lupdf`/`_lupmf` are only ways to call a density")
    .with_hint(format!("rename it `{normalised}`; `{function}(y | ...)` and `y ~ {base}(...)` then call it"))
}

pub fn truncation_bound_type(span: Span, found: impl Display) -> Diagnostic {
    Diagnostic::error("E1035", span, format!("a truncation bound must be an int or a real, found `{found}`"))
        .with_label("this bound")
        .with_hint("truncate element by element in a loop: `for (n in 1:N) y[n] ~ dist(...) T[L[n], U[n]];`")
}

/// Truncation needs the distribution's `_lcdf` and `_lccdf`, which only univariate ones have.
pub fn truncation_without_cdf(span: Span, dist: &str, variate: Span, variate_type: impl Display) -> Diagnostic {
    Diagnostic::error(
        "E1036",
        span,
        format!("`{dist}` cannot be truncated: truncation needs `{dist}_lcdf` and `{dist}_lccdf`"),
    )
    .with_label("truncation needs the distribution's CDFs")
    .with_secondary(variate, format!("the variate is `{variate_type}`"))
    .with_hint("only univariate distributions can be truncated")
}

pub fn bar_in_plain_call(span: Span, name: &str, comma_form: &str) -> Diagnostic {
    Diagnostic::error(
        "E1037",
        span,
        "`|` can only follow the first argument of `_lpdf`, `_lupdf`, `_lpmf`, `_lupmf`, `_cdf`, `_lcdf` or \
         `_lccdf` functions",
    )
    .with_label(format!("`{name}` is not one"))
    .with_hint(format!("separate the arguments with commas: `{comma_form}`"))
}

pub fn declared_not_defined(span: Span, name: &str) -> Diagnostic {
    Diagnostic::error("E1038", span, format!("`{name}` is declared but never defined"))
        .with_label("a declaration without a body")
        .with_hint("add a body `{ … }`, or remove the declaration")
}

pub fn declaration_mismatch(span: Span, name: &str, declared: &str, defined: &str, definition: Span) -> Diagnostic {
    Diagnostic::error("E1038", span, format!("`{name}{declared}` is declared but never defined"))
        .with_label("no definition has these argument types")
        .with_secondary(definition, format!("a definition with different argument types {defined}"))
        .with_hint("make the declaration and the definition have the same signature")
}
