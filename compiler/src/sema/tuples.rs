//! Tuples in lowering: a tuple value is its components, each an ordinary value.
//!
//! The IR knows no tuples. A [`Val`] of a tuple type (`Elem::Tuple`) holds in its atom a
//! variable of its own that no statement defines, the key under which [`Lowerer::tuples`] keeps
//! the component values (so a key that reached the IR would fail `verify`). An array of tuples
//! is the tuple of the arrays of each component (`array[N] tuple(real, vector[K])` is the pair
//! `array[N] real`, `array[N] vector[K]`), so indexing it indexes each component alike, and a
//! component of a tuple is any value, complex and tuple included. A declared tuple is its
//! *leaves*, the components that are not tuples, each declared as an ordinary variable (named
//! `x.1`, `x.2.1`, inside the arrays around its tuples): data read from CmdStan's objects
//! `{"1": …, "2": …}` component by component, constraints checked, parameters transformed,
//! with no code of their own. Outputs are written as Stan writes them: element by element of an
//! array of tuples, each tuple's components in order.

use grammar::ast;
use runtime::compiled::OutputShape;

use crate::ir::{Atom, Core, Expr, Ty, VarKind};
use crate::sema::{Lowerer, Val, decl_ty};

/// A component of a declared type that is not a tuple, reached through tuples (the declaration
/// itself when it is not a tuple).
pub(crate) struct Leaf {
    /// It declared as an ordinary variable: named `x.2.1`, its array dimensions those of the
    /// arrays around each tuple on the way, then its own; its constraint and sizes its own.
    pub decl: ast::VarDecl,
    /// The way to it: (array dimensions to go through, then the 1-based component), per tuple.
    pub path: Vec<(usize, usize)>,
}

/// The leaves of a declaration, in order.
pub(crate) fn leaves(d: &ast::VarDecl) -> Vec<Leaf> {
    leaves_of(&d.name, &d.ty)
}

fn leaves_of(name: &ast::Ident, t: &ast::DeclType) -> Vec<Leaf> {
    let ast::TypeKind::Tuple(elems) = &t.kind else {
        let decl = ast::VarDecl { ty: t.clone(), name: name.clone(), init: None };
        return vec![Leaf { decl, path: Vec::new() }];
    };
    let mut out = Vec::new();
    for (k, elem) in elems.iter().enumerate() {
        let inner = ast::Ident { name: format!("{}.{}", name.name, k + 1), span: name.span };
        for mut leaf in leaves_of(&inner, elem) {
            let mut dims = t.array_dims.clone();
            dims.append(&mut leaf.decl.ty.array_dims);
            leaf.decl.ty.array_dims = dims;
            leaf.path.insert(0, (t.array_dims.len(), k + 1));
            out.push(leaf);
        }
    }
    out
}

/// How a declared output is written (its sizes and the names of its columns).
pub(crate) fn output_shape(t: &ast::DeclType) -> OutputShape {
    match &t.kind {
        ast::TypeKind::Tuple(elems) => {
            OutputShape::Tuple { array_rank: t.array_dims.len(), components: elems.iter().map(output_shape).collect() }
        }
        _ => {
            let ty = decl_ty(t);
            OutputShape::Value { rank: ty.rank(), complex: ty.is_complex() }
        }
    }
}

/// Whether a tuple sits inside an array anywhere in the type (`array[2] tuple(…)`, or
/// `tuple(array[2] tuple(…), …)`).
pub(crate) fn has_array_of_tuples(t: &ast::DeclType) -> bool {
    match &t.kind {
        ast::TypeKind::Tuple(elems) => !t.array_dims.is_empty() || elems.iter().any(has_array_of_tuples),
        _ => false,
    }
}

impl Lowerer<'_> {
    /// The tuple value of type `ty` made of `components` (of the types `ty.components()`).
    pub(crate) fn tuple(&mut self, ty: Ty, components: Vec<Val>) -> Val {
        let data = components.iter().all(|c| c.data);
        let key = self.f.new_var(None, Ty::INT, VarKind::Let);
        self.tuples.insert(key, components);
        Val { atom: Atom::Var(key), ty, data }
    }

    /// The tuple of these values (no arrays around it).
    pub(crate) fn tuple_of(&mut self, parts: Vec<Val>) -> Val {
        let types: Vec<Ty> = parts.iter().map(|p| p.ty).collect();
        let ty = Ty { elem: crate::ir::Elem::tuple(&types), array_rank: 0, core: Core::Scalar };
        self.tuple(ty, parts)
    }

    /// The components of a tuple value (of a value that failed to check, reported already:
    /// NaN constants of the components' types).
    pub(crate) fn components_of(&self, v: Val) -> Vec<Val> {
        match v.atom {
            Atom::Var(key) => self.tuples.get(&key).cloned().expect("bug: a tuple value without components"),
            _ => v.ty.components().into_iter().map(|ty| Val { atom: Atom::Real(f64::NAN), ty, data: true }).collect(),
        }
    }

    /// The leaves of a value in order: its components that are not tuples, through nested
    /// tuples (the value itself if it is not a tuple).
    pub(crate) fn leaf_values(&self, v: Val) -> Vec<Val> {
        if !v.ty.is_tuple() {
            return vec![v];
        }
        self.components_of(v).into_iter().flat_map(|c| self.leaf_values(c)).collect()
    }

    /// The value of type `ty` made of the leaves `leaves` gives in order (the inverse of
    /// [`Self::leaf_values`]).
    pub(crate) fn assemble(&mut self, ty: Ty, leaves: &mut dyn Iterator<Item = Val>) -> Val {
        if !ty.is_tuple() {
            return leaves.next().expect("one leaf per component");
        }
        let components = ty.components().into_iter().map(|c| self.assemble(c, leaves)).collect();
        self.tuple(ty, components)
    }

    /// `f` applied to each leaf of `v`, the results made into a value of type `ty` (of the
    /// same tuple structure).
    pub(crate) fn map_leaves(&mut self, v: Val, ty: Ty, f: &mut dyn FnMut(&mut Self, Val, Ty) -> Val) -> Val {
        if !ty.is_tuple() {
            return f(self, v, ty);
        }
        let parts: Vec<Val> =
            self.components_of(v).into_iter().zip(ty.components()).map(|(c, t)| self.map_leaves(c, t, f)).collect();
        self.tuple(ty, parts)
    }

    /// The element of `v` at the leading indices `indices` (checked already): of each
    /// component alike for a tuple, both parts for a complex value.
    pub(crate) fn element_at(&mut self, v: Val, indices: &[Atom]) -> Val {
        if indices.is_empty() {
            return v;
        }
        let ty = v.ty.indexed(indices.len());
        if v.ty.is_tuple() {
            let parts: Vec<Val> = self.components_of(v).into_iter().map(|c| self.element_at(c, indices)).collect();
            return self.tuple(ty, parts);
        }
        let load = |l: &mut Self, base: Atom| match base {
            Atom::Var(base) => l.let_(ty.part(), Expr::Load { base, indices: indices.to_vec() }),
            other => other,
        };
        let re = load(self, v.atom);
        if v.ty.is_complex() {
            let im = self.imag_of(v);
            let im = load(self, im);
            return self.complex(re, im, ty.part(), v.data);
        }
        Val { atom: re, ty, data: v.data }
    }

    /// The sizes of a tuple's arrays, from its first leaf (every leaf starts with them).
    pub(crate) fn tuple_dims(&mut self, v: Val) -> Vec<Atom> {
        let first = self.leaf_values(v)[0];
        (0..v.ty.array_rank as usize).map(|d| self.dim(first.atom, d)).collect()
    }

    /// The sizes of a value; an array of tuples has no container of its own, and its sizes are
    /// those of its arrays (`size`, `dims` and `num_elements` count tuples, as Stan's do).
    pub(crate) fn value_dims(&mut self, v: Val) -> Vec<Atom> {
        if v.ty.is_tuple() { self.tuple_dims(v) } else { self.dims(v.atom, v.ty) }
    }

    /// A value standing for the arrays of a tuple, for checking and resolving indices into
    /// them: its first leaf seen with the tuple's array rank alone.
    pub(crate) fn tuple_shape(&self, v: Val) -> Val {
        let first = self.leaf_values(v)[0];
        Val { atom: first.atom, ty: Ty { elem: first.ty.elem, array_rank: v.ty.array_rank, core: Core::Scalar }, ..v }
    }

    /// Whether any leaf of `v` is a mutable variable (a value that later statements may change).
    pub(crate) fn holds_mutable(&self, v: Val) -> bool {
        self.leaf_values(v)
            .iter()
            .any(|l| matches!(l.atom, Atom::Var(x) if self.f.vars[x as usize].kind == VarKind::Mutable))
    }

    /// Writes a tuple value to the output as Stan does: element by element of its arrays beyond
    /// the leading `prefix` indices (column-major), each element's components in order.
    pub(crate) fn write_tuple(&mut self, v: Val, prefix: &[Atom]) {
        let all = self.tuple_dims(v);
        let own = all[prefix.len()..].to_vec();
        let components = self.components_of(v);
        self.for_each_index_colmajor(&own, &mut |l, idx| {
            let mut at = prefix.to_vec();
            at.extend_from_slice(idx);
            for c in &components {
                if c.ty.is_tuple() {
                    l.write_tuple(*c, &at);
                } else {
                    let element = l.element_at(*c, &at);
                    l.write_output(element.atom, element.ty);
                }
            }
        });
    }

    /// `sizes` of a declared output: its own dimensions; for a tuple, those of its arrays, then
    /// each component's (`runtime::compiled::OutputShape::n_sizes`).
    pub(crate) fn output_sizes(&mut self, t: &ast::DeclType) {
        let ast::TypeKind::Tuple(elems) = &t.kind else {
            for dim in self.decl_dims(t) {
                self.output(dim);
            }
            return;
        };
        let arrays = ast::DeclType { kind: ast::TypeKind::Real, sizes: Vec::new(), ..t.clone() };
        for dim in self.decl_dims(&arrays) {
            self.output(dim);
        }
        for elem in elems {
            self.output_sizes(elem);
        }
    }
}
