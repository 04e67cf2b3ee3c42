//! The one canonical text form of the IR. Temporaries print as `%N` (their index in the
//! function), user variables as `name.N`, so the output is stable and unambiguous.

use std::fmt::{self, Display, Write};

use crate::ir::{Atom, Core, Elem, Expr, Function, Module, Stmt, Ty, VarKind};

impl Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == Ty::ERROR {
            return f.write_str("<error>");
        }
        if let Elem::Tuple(components) = self.elem {
            if self.array_rank > 0 {
                write!(f, "array[{}] ", ",".repeat(self.array_rank as usize - 1))?;
            }
            let names: Vec<String> = components.iter().map(Ty::to_string).collect();
            return write!(f, "tuple({})", names.join(", "));
        }
        let core = match (self.core, self.elem) {
            (Core::Scalar, Elem::Int) => "int",
            (Core::Scalar, Elem::Real) => "real",
            (Core::Scalar, Elem::Complex) => "complex",
            (Core::Vector, Elem::Complex) => "complex_vector",
            (Core::RowVector, Elem::Complex) => "complex_row_vector",
            (Core::Matrix, Elem::Complex) => "complex_matrix",
            (Core::Vector, _) => "vector",
            (Core::RowVector, _) => "row_vector",
            (Core::Matrix, _) => "matrix",
            (Core::Scalar, Elem::Tuple(_)) => unreachable!("written above"),
        };
        if self.array_rank > 0 {
            write!(f, "array[{}] ", ",".repeat(self.array_rank as usize - 1))?;
        }
        f.write_str(core)
    }
}

struct Printer<'a> {
    func: &'a Function,
    out: String,
}

impl Printer<'_> {
    fn var(&self, v: u32) -> String {
        match &self.func.vars[v as usize].name {
            Some(name) => format!("{name}.{v}"),
            None => format!("%{v}"),
        }
    }

    fn atom(&self, a: Atom) -> String {
        match a {
            Atom::Var(v) => self.var(v),
            Atom::Int(i) => i.to_string(),
            Atom::Real(x) => format_real(x),
        }
    }

    fn atoms(&self, atoms: &[Atom]) -> String {
        atoms.iter().map(|a| self.atom(*a)).collect::<Vec<_>>().join(", ")
    }

    fn expr(&self, e: &Expr) -> String {
        match e {
            Expr::Atom(a) => self.atom(*a),
            Expr::Prim(p, args) => format!("{} {}", prim_name(*p), self.atoms(args)),
            Expr::Load { base, indices } => format!("{}[{}]", self.var(*base), self.atoms(indices)),
            Expr::Dim { base, dim } => format!("dim {}, {dim}", self.var(*base)),
            Expr::Alloc { ty, dims } => format!("alloc {ty}[{}]", self.atoms(dims)),
            Expr::Random(d, args) => format!("random {d:?} {}", self.atoms(args)),
            Expr::View { base, offset, dims } => {
                format!("view {} from {} [{}]", self.var(*base), self.atom(*offset), self.atoms(dims))
            }
        }
    }

    fn line(&mut self, depth: usize, text: &str) {
        for _ in 0..depth {
            self.out.push_str("  ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn block(&mut self, depth: usize, stmts: &[Stmt]) {
        for s in stmts {
            self.stmt(depth, s);
        }
    }

    fn stmt(&mut self, depth: usize, s: &Stmt) {
        match s {
            Stmt::Let { var, expr } => {
                let text = format!("{}: {} = {}", self.var(*var), self.func.ty(*var), self.expr(expr));
                self.line(depth, &text);
            }
            Stmt::Decl { var, dims } => {
                let text = format!("var {}: {} [{}]", self.var(*var), self.func.ty(*var), self.atoms(dims));
                self.line(depth, &text);
            }
            Stmt::Assign { var, indices, value } => {
                let text = format!("{}{} := {}", self.var(*var), self.index(indices), self.atom(*value));
                self.line(depth, &text);
            }
            Stmt::Accum { var, indices, value } => {
                let text = format!("{}{} += {}", self.var(*var), self.index(indices), self.atom(*value));
                self.line(depth, &text);
            }
            Stmt::Copy { dst, src } => {
                let text = format!("copy {} <- {}", self.var(*dst), self.var(*src));
                self.line(depth, &text);
            }
            Stmt::AccumAll { dst, src } => {
                let text = format!("accum_all {} += {}", self.var(*dst), self.var(*src));
                self.line(depth, &text);
            }
            Stmt::Kernel { kernel, args } => {
                let text = format!("kernel {kernel:?} {}", self.atoms(args));
                self.line(depth, &text);
            }
            Stmt::TargetAdd(a) => {
                let text = format!("target += {}", self.atom(*a));
                self.line(depth, &text);
            }
            Stmt::For { var, lo, hi, reverse, body } => {
                let dir = if *reverse { " reverse" } else { "" };
                let text = format!("for {} in {}..={}{dir} {{", self.var(*var), self.atom(*lo), self.atom(*hi));
                self.line(depth, &text);
                self.block(depth + 1, body);
                self.line(depth, "}");
            }
            Stmt::If { cond, then, otherwise } => {
                let text = format!("if {} {{", self.atom(*cond));
                self.line(depth, &text);
                self.block(depth + 1, then);
                if !otherwise.is_empty() {
                    self.line(depth, "} else {");
                    self.block(depth + 1, otherwise);
                }
                self.line(depth, "}");
            }
            Stmt::Break => self.line(depth, "break"),
            Stmt::Continue => self.line(depth, "continue"),
            Stmt::While { cond_block, cond, body } => {
                self.line(depth, "while {");
                self.block(depth + 1, cond_block);
                let text = format!("}} {} {{", self.atom(*cond));
                self.line(depth, &text);
                self.block(depth + 1, body);
                self.line(depth, "}");
            }
            Stmt::Check { cond, site, values } => {
                let msg = &self.func.errors[*site as usize].message;
                let text = format!("check {} else {:?} [{}]", self.atom(*cond), msg, self.atoms(values));
                self.line(depth, &text);
            }
            Stmt::Print { site, value } => {
                let msg = &self.func.errors[*site as usize].message;
                let text = match value {
                    Some(v) => format!("print {:?} {}", msg, self.atom(*v)),
                    None => format!("print {msg:?}"),
                };
                self.line(depth, &text);
            }
            Stmt::Output { pos, value } => {
                let text = format!("out[{}] := {}", self.atom(*pos), self.atom(*value));
                self.line(depth, &text);
            }
            Stmt::Push(a) => {
                let text = format!("push {}", self.atom(*a));
                self.line(depth, &text);
            }
            Stmt::Pop(v) => {
                let text = format!("{}: {} = pop", self.var(*v), self.func.ty(*v));
                self.line(depth, &text);
            }
            Stmt::Store { slot, var } => {
                let text = format!("slot {slot} := {}", self.var(*var));
                self.line(depth, &text);
            }
        }
    }

    fn index(&self, indices: &[crate::ir::Atom]) -> String {
        if indices.is_empty() { String::new() } else { format!("[{}]", self.atoms(indices)) }
    }
}

/// Reals always print with a decimal point or exponent, so they never read as ints.
pub fn format_real(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let s = format!("{x:?}");
    if s.contains('.') || s.contains('e') { s } else { format!("{s}.0") }
}

pub fn prim_name(p: crate::ir::Prim) -> String {
    if let crate::ir::Prim::Call(f) = p {
        return f.name().to_string();
    }
    let dbg = format!("{p:?}");
    let mut out = String::new();
    for (i, c) in dbg.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

impl Display for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut p = Printer { func: self, out: String::new() };
        let params: Vec<String> = self.params.iter().map(|v| format!("{}: {}", p.var(*v), self.ty(*v))).collect();
        let mut head = format!("fn {}({})", self.name, params.join(", "));
        if let Some((input, adj)) = self.gradient_of {
            write!(head, " gradient {} -> {}", p.var(input), p.var(adj))?;
        }
        let slots: Vec<String> = self
            .vars
            .iter()
            .enumerate()
            .filter_map(|(i, v)| match v.kind {
                VarKind::Slot(s) => Some(format!("{} = slot {s}", p.var(i as u32))),
                _ => None,
            })
            .collect();
        p.out.push_str(&head);
        p.out.push_str(" {\n");
        for s in slots {
            p.line(1, &format!("data {s}"));
        }
        p.block(1, &self.body);
        p.out.push_str("}\n");
        f.write_str(&p.out)
    }
}

impl Display for Module {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for func in [&self.load, &self.sizes, &self.log_density, &self.log_density_propto, &self.write_array] {
            writeln!(f, "{func}")?;
        }
        Ok(())
    }
}
