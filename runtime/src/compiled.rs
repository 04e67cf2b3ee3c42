//! A model whose entry points are native functions (from the JIT or linked in ahead of time),
//! with its data loaded: the [`Model`] implementation behind every fit.

use rand_chacha::ChaCha8Rng;

use crate::abi::{Ctx, MAX_RANK, Slot};
use crate::data::{DataFile, DataSpec, Values};
use crate::model::{EvalError, EvalErrorKind, Model, OutputName};

/// The common signature of every entry point: `(ctx, theta, n, out) -> value`.
pub type EntryFn = unsafe extern "C" fn(*mut Ctx, *const f64, i64, *mut f64) -> f64;

/// The native entry points of one model.
#[derive(Clone, Copy)]
pub struct Entries {
    pub load: EntryFn,
    pub sizes: EntryFn,
    pub log_density: EntryFn,
    pub gradient: EntryFn,
    pub write_array: EntryFn,
    /// Checks of the data that the model block makes: run once, after `sizes`.
    pub validate: EntryFn,
    /// The log density with a finiteness check after every term: says which term is not
    /// finite ([`CompiledModel::locate_non_finite`]). The fit never calls it.
    pub locate: EntryFn,
    /// From constrained parameter values to the unconstrained vector (Stan's
    /// `transform_inits`): [`CompiledModel::unconstrain`]. The fit never calls it.
    pub unconstrain: EntryFn,
    /// The work on the data alone that the fit's functions would repeat: run once, after
    /// `validate`; fills the slots after the transformed data's.
    pub precompute: EntryFn,
    /// The propto log density without the Jacobian and its gradient (`optimize`'s default
    /// objective, `log_prob jacobian=0`): compiled into built executables, not into `vppl
    /// run`'s JIT, which never calls it.
    pub gradient_no_jacobian: Option<EntryFn>,
    /// `[θ; v]` (2n values) to `∇f·v`, writing `[H v; ∇f]` (the log density with every constant
    /// and the Jacobian): [`CompiledModel::hessian`]. Compiled only for built executables and
    /// `vppl hessian`, and only for models whose functions all have second derivatives.
    pub hessian: Option<EntryFn>,
    /// The Hessian of the propto log density without the Jacobian, its gradient and its value:
    /// [`CompiledModel::hessian_no_jacobian`]. Compiled with `hessian` where the build has the
    /// no-Jacobian gradient.
    pub hessian_no_jacobian: Option<EntryFn>,
}

/// What [`CompiledModel::hessian`] computes at one point.
#[derive(Clone, Debug, PartialEq)]
pub struct Hessian {
    /// The log density, every constant kept, Jacobian included.
    pub value: f64,
    pub gradient: Vec<f64>,
    /// n × n, column-major (symmetric up to rounding).
    pub hessian: Vec<f64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SiteKind {
    Domain,
    Index,
    Fatal,
    Data,
    /// Pieces of `print` output: the text, then a real value, an int value or nothing.
    PrintReal,
    PrintInt,
    PrintText,
}

/// What an error raised by compiled code means: `{}` in `message` are filled with the two
/// values the code passes.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ErrorSiteInfo {
    pub kind: SiteKind,
    pub message: String,
    pub line: usize,
    pub column: usize,
    /// For a term of `locate`: each data variable the statement reads, with what needs it
    /// finite there (`normal needs a finite variate`).
    pub needs: Vec<(String, String)>,
}

/// Everything about a model except its code (a built executable carries it as JSON).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ModelMeta {
    pub name: String,
    /// The model's file, for error locations.
    pub file: String,
    pub data: Vec<DataSpec>,
    pub n_transformed_data: usize,
    /// Slots after the transformed data's, filled by `precompute`.
    pub n_precomputed: usize,
    /// Output variables (name and shape), in output order.
    pub outputs: Vec<(String, OutputShape)>,
    /// Parameters in declaration order, as an init file gives them (constrained values).
    pub parameters: Vec<DataSpec>,
    /// How many of the outputs (the last ones) are generated quantities.
    #[serde(default)]
    pub n_generated: usize,
    /// Error sites of each entry point, in the order of [`Entry`] ([`Entry::COUNT`] lists,
    /// empty for the optional entry points the model was not compiled with).
    pub errors: Vec<Vec<ErrorSiteInfo>>,
    /// Why the model has no `hessian` entry point, when it has none.
    pub no_hessian: Option<String>,
}

/// What one output variable holds, for its sizes and its columns' names.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum OutputShape {
    /// A real, int or complex value of `rank` dimensions; a complex one is written as the pairs
    /// (real part, imaginary part) of its elements.
    Value { rank: usize, complex: bool },
    /// Tuples inside `array_rank` levels of arrays (none for one tuple): element by element, in
    /// column-major order, each tuple's components in order (Stan's `x.1:1`, `x.1:2`, …).
    Tuple { array_rank: usize, components: Vec<OutputShape> },
}

impl OutputShape {
    /// How many sizes `sizes` writes for it: its own dimensions, then (for tuples) those of each
    /// component, which all elements of an array of tuples share.
    pub fn n_sizes(&self) -> usize {
        match self {
            OutputShape::Value { rank, .. } => *rank,
            OutputShape::Tuple { array_rank, components } => {
                array_rank + components.iter().map(OutputShape::n_sizes).sum::<usize>()
            }
        }
    }

    /// The names of its columns in output order, from its sizes (`n_sizes` of them).
    fn names(&self, name: &str, sizes: &[f64]) -> Vec<OutputName> {
        let dims = |sizes: &[f64]| -> Vec<usize> { sizes.iter().map(|d| d.max(0.0) as usize).collect() };
        match self {
            OutputShape::Value { rank, complex } => {
                let elements = column_major_names(name, &dims(&sizes[..*rank]));
                if !*complex {
                    return elements;
                }
                // Stan's names: each element's `.real`, then its `.imag`.
                let parts = |e: OutputName| ["real", "imag"].map(|p| OutputName { part: Some(p), ..e.clone() });
                elements.into_iter().flat_map(parts).collect()
            }
            OutputShape::Tuple { array_rank, components } => {
                let mut names = Vec::new();
                for element in column_major_names(name, &dims(&sizes[..*array_rank])) {
                    let mut at = *array_rank;
                    for (k, c) in components.iter().enumerate() {
                        let n = c.n_sizes();
                        names.extend(c.names(&format!("{}:{}", element.csv(), k + 1), &sizes[at..at + n]));
                        at += n;
                    }
                }
                names
            }
        }
    }
}

/// The entry points: indices into [`ModelMeta::errors`], and of the symbols of a built model's
/// object file (`loader::entry_symbol`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    Load = 0,
    Sizes = 1,
    LogDensity = 2,
    Gradient = 3,
    WriteArray = 4,
    Validate = 5,
    Locate = 6,
    Unconstrain = 7,
    Precompute = 8,
    GradientNoJacobian = 9,
    Hessian = 10,
    HessianNoJacobian = 11,
}

impl Entry {
    /// The entry points every model has, in order.
    pub const ALWAYS: [Entry; 9] = [
        Entry::Load,
        Entry::Sizes,
        Entry::LogDensity,
        Entry::Gradient,
        Entry::WriteArray,
        Entry::Validate,
        Entry::Locate,
        Entry::Unconstrain,
        Entry::Precompute,
    ];
    /// How many entry points there are, optional ones included.
    pub const COUNT: usize = 12;
}

/// One output variable as the data loaded size it: its name, the sizes `sizes` wrote for it (as
/// [`OutputShape::n_sizes`] orders them) and its columns among the outputs. Its sizes describe
/// it even when it has no columns (`matrix[0, 2]`).
#[derive(Clone, Debug, PartialEq)]
pub struct OutputVar {
    pub name: String,
    pub sizes: Vec<usize>,
    pub columns: std::ops::Range<usize>,
}

pub struct CompiledModel {
    entries: Entries,
    meta: ModelMeta,
    slots: Box<[Slot]>,
    /// Owners of the memory the slots point into; also read to name non-finite data elements.
    data: Vec<Values>,
    /// Each data variable's dimensions (array dimensions, then the vector's or matrix's).
    data_dims: Vec<Vec<usize>>,
    /// The memory of transformed data and precomputed values.
    _transformed_data: Vec<Vec<u64>>,
    /// What a precomputed slot points at until `precompute` fills it (a value computed inside
    /// loops that run zero times is never computed, and never read).
    _placeholder: Box<u64>,
    n_unconstrained: usize,
    output_names: Vec<OutputName>,
    output_vars: Vec<OutputVar>,
    /// Where the lines of `print` statements go.
    printer: Printer,
}

/// The message of an error site whose message is the pieces of output printed right before it
/// (`reject` and `fatal_error`, whose arguments are formatted as `print` formats them): the
/// pieces after the last complete line.
pub const MESSAGE_FROM_PRINTS: &str = "\u{0}message printed before the error";

/// Receives the output of `print` statements, whole lines at a time (each ends in a newline).
pub type Printer = std::sync::Arc<dyn Fn(&str) + Send + Sync>;

/// The default [`Printer`]: standard output, as CmdStan prints, one evaluation's lines in one
/// write (so lines of evaluations on other threads do not interleave with them).
pub fn stdout_printer() -> Printer {
    std::sync::Arc::new(|text: &str| {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    })
}

// Safety: the slots point into buffers owned by the model and never written after loading;
// every evaluation gets its own Ctx from the pool.
unsafe impl Sync for CompiledModel {}
unsafe impl Send for CompiledModel {}

/// Why a model could not be loaded with the given data.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadError {
    pub message: String,
    /// Whether the data are to blame (a missing or malformed variable, a violated constraint, a
    /// value that makes every evaluation fail), as opposed to the model's own code failing while
    /// it computes transformed data (an index out of range, a `reject`).
    pub from_data: bool,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl CompiledModel {
    /// Reads the data, runs the load entry point (data checks, transformed data) and the sizes
    /// entry point.
    pub fn new(entries: Entries, meta: ModelMeta, data: &DataFile) -> Result<CompiledModel, LoadError> {
        CompiledModel::with_printer(entries, meta, data, stdout_printer())
    }

    /// Like [`CompiledModel::new`], with the output of `print` statements (transformed data's
    /// included) sent to `printer`.
    pub fn with_printer(
        entries: Entries,
        meta: ModelMeta,
        data: &DataFile,
        printer: Printer,
    ) -> Result<CompiledModel, LoadError> {
        let n_slots = meta.data.len() + meta.n_transformed_data + meta.n_precomputed;
        let mut placeholder = Box::new(0u64);
        let empty = Slot { ptr: &mut *placeholder as *mut u64 as *mut u8, dims: [0; MAX_RANK] };
        let mut slots = vec![empty; n_slots].into_boxed_slice();
        let mut owned = Vec::new();
        let mut data_dims = Vec::new();
        for (i, spec) in meta.data.iter().enumerate() {
            let value = data.get(spec).map_err(|e| LoadError { message: e.to_string(), from_data: true })?;
            let mut values = value.values;
            // A scalar or an empty container still gets a valid pointer.
            let ptr = match &mut values {
                Values::Int(v) => {
                    if v.is_empty() {
                        v.push(0);
                        v.pop();
                    }
                    v.as_mut_ptr() as *mut u8
                }
                Values::Real(v) => v.as_mut_ptr() as *mut u8,
            };
            slots[i].ptr = ptr;
            for (d, n) in value.dims.iter().enumerate().take(MAX_RANK) {
                slots[i].dims[d] = *n as i64;
            }
            owned.push(values);
            data_dims.push(value.dims);
        }
        let mut model = CompiledModel {
            entries,
            meta,
            slots,
            data: owned,
            data_dims,
            _transformed_data: Vec::new(),
            _placeholder: placeholder,
            n_unconstrained: 0,
            output_names: Vec::new(),
            output_vars: Vec::new(),
            printer,
        };
        let mut ctx = Ctx::new(model.slots.as_mut_ptr());
        let load = model.entries.load;
        // Safety: the load function reads the slots set up above and writes transformed data
        // slots, whose memory comes from ctx's arena and is kept below.
        unsafe { model.run_at_load(&mut ctx, Entry::Load, load, std::ptr::null_mut()) }?;
        model._transformed_data = ctx.take_arena();
        let n_sizes = 1 + model.meta.outputs.iter().map(|(_, shape)| shape.n_sizes()).sum::<usize>();
        let mut sizes = vec![0.0; n_sizes];
        let sizes_fn = model.entries.sizes;
        // Safety: sizes writes exactly n_sizes values.
        unsafe { model.run_at_load(&mut ctx, Entry::Sizes, sizes_fn, sizes.as_mut_ptr()) }?;
        model.n_unconstrained = sizes[0] as usize;
        let mut pos = 1;
        let mut names = Vec::new();
        for (name, shape) in &model.meta.outputs {
            let n = shape.n_sizes();
            let start = names.len();
            names.extend(shape.names(name, &sizes[pos..pos + n]));
            let own = sizes[pos..pos + n].iter().map(|d| d.max(0.0) as usize).collect();
            model.output_vars.push(OutputVar { name: name.clone(), sizes: own, columns: start..names.len() });
            pos += n;
        }
        model.output_names = names;
        // The model block's checks of the data alone were moved out of the log density into
        // `validate`: failing one here means every evaluation would fail.
        // `precompute` then computes the values of the data alone that those functions read
        // from slots; a check it makes would also fail in every evaluation.
        let every_evaluation_fails = |e: LoadError| LoadError {
            message: format!("with these data every evaluation of the log density fails: {}", e.message),
            from_data: true,
        };
        let validate = model.entries.validate;
        // Safety: validate reads only the slots, never theta or the output buffer.
        unsafe { model.run_at_load(&mut ctx, Entry::Validate, validate, std::ptr::null_mut()) }
            .map_err(every_evaluation_fails)?;
        let precompute = model.entries.precompute;
        // Safety: precompute reads only the slots and writes the precomputed ones, whose memory
        // comes from ctx's arena and is kept below.
        unsafe { model.run_at_load(&mut ctx, Entry::Precompute, precompute, std::ptr::null_mut()) }
            .map_err(every_evaluation_fails)?;
        model._transformed_data.extend(ctx.take_arena());
        Ok(model)
    }

    /// CmdStan's `init=FILE` (Stan's `transform_inits`): the unconstrained vector whose
    /// constrained parameter values are the ones `inits` gives, by name.
    ///
    /// `inits` is a CmdStan JSON file like a data file, and each parameter in it is read and
    /// checked the same way (type, shape); keys that are not parameters are ignored. Each given
    /// value must satisfy its declared constraint (bounds may depend on data and on parameters
    /// declared before it, given or not), else the error names the parameter, the element and
    /// the constraint (`init value `sigma` = -1 violates lower=0`). A parameter the file lacks
    /// gets unconstrained values drawn uniformly from (−2, 2) with `rng`, CmdStan's partial
    /// initialisation; `rng` is drawn from once per unconstrained value, given or not, so the
    /// result does not depend on which parameters the file gives.
    pub fn unconstrain(&self, inits: &DataFile, rng: &mut ChaCha8Rng) -> Result<Vec<f64>, LoadError> {
        use rand::Rng;
        let random: Vec<f64> = (0..self.n_unconstrained).map(|_| rng.random_range(-2.0..2.0)).collect();
        // The slots `sema::unconstrain` reads: the data and transformed data, each parameter's
        // given value (a valid pointer to one unread real when it is not given), and which
        // parameters are given.
        let mut slots = self.slots[..self.meta.data.len() + self.meta.n_transformed_data].to_vec();
        let mut owned = Vec::new();
        let mut given = Vec::new();
        for spec in &self.meta.parameters {
            let mut slot = Slot { ptr: std::ptr::null_mut(), dims: [0; MAX_RANK] };
            let mut values = if inits.contains(&spec.name) {
                let value = inits.get(spec).map_err(|e| LoadError {
                    message: format!("init value `{}`: {}", spec.name, e.message),
                    from_data: true,
                })?;
                for (d, n) in value.dims.iter().enumerate().take(MAX_RANK) {
                    slot.dims[d] = *n as i64;
                }
                let Values::Real(values) = value.values else { unreachable!("bug: a parameter read as ints") };
                values
            } else {
                vec![0.0]
            };
            given.push(i64::from(inits.contains(&spec.name)));
            // The heap buffer stays where it is when the vector moves into `owned`.
            slot.ptr = values.as_mut_ptr() as *mut u8;
            owned.push(values);
            slots.push(slot);
        }
        let mut flags = Slot { ptr: given.as_mut_ptr() as *mut u8, dims: [0; MAX_RANK] };
        flags.dims[0] = given.len() as i64;
        slots.push(flags);
        let mut out = vec![0.0; self.n_unconstrained];
        let mut ctx = Ctx::new(slots.as_mut_ptr());
        // Safety: the slots and the buffers they point into outlive the call; theta and out have
        // the model's unconstrained dimension, which is what unconstrain reads and writes.
        let status =
            unsafe { (self.entries.unconstrain)(&mut ctx, random.as_ptr(), random.len() as i64, out.as_mut_ptr()) };
        self.flush_prints(Entry::Unconstrain, &mut ctx);
        if status.is_nan() || ctx.error_site >= 0 {
            return Err(LoadError { message: self.error_message(Entry::Unconstrain, &ctx).message, from_data: true });
        }
        Ok(out)
    }

    /// Runs an entry point once while loading (no theta), on `ctx` reset to this model's slots.
    ///
    /// # Safety
    /// `out` must have room for everything `f` writes.
    unsafe fn run_at_load(&mut self, ctx: &mut Ctx, entry: Entry, f: EntryFn, out: *mut f64) -> Result<(), LoadError> {
        ctx.reset();
        ctx.slots = self.slots.as_mut_ptr();
        // Safety: the caller vouches for `out`; the slots outlive the call.
        let status = unsafe { f(ctx, std::ptr::null(), 0, out) };
        self.flush_prints(entry, ctx);
        if status.is_nan() {
            let message = self.error_message(entry, ctx).message;
            let sites = self.meta.errors.get(entry as usize).map_or(&[][..], Vec::as_slice);
            let site = usize::try_from(ctx.error_site).ok().and_then(|i| sites.get(i));
            let from_data = site.is_some_and(|s| s.kind == SiteKind::Data);
            return Err(LoadError { message: self.blame_data(entry, ctx.error_site, message), from_data });
        }
        Ok(())
    }

    /// Runs the `locate` entry point at `theta`: the first term whose value is not finite, with
    /// its place in the model, and each non-finite data element that term reads with what needs
    /// it finite there. `None` when every term is finite at `theta`.
    fn locate_non_finite(&self, theta: &[f64]) -> Option<String> {
        let err = self.run(Entry::Locate, self.entries.locate, theta, &mut []).err()?;
        let site = CTX.with(|cell| cell.borrow().as_ref().map_or(-1, |ctx| ctx.error_site));
        Some(self.blame_data(Entry::Locate, site, err.message))
    }

    /// `message`, followed by a line for each non-finite data element that the failed check's
    /// term reads (at most three per variable), saying what needs it finite.
    fn blame_data(&self, entry: Entry, site: i64, message: String) -> String {
        let sites = self.meta.errors.get(entry as usize).map_or(&[][..], Vec::as_slice);
        let site = usize::try_from(site).ok().and_then(|i| sites.get(i));
        let mut lines = vec![message];
        for (variable, need) in site.map(|s| s.needs.as_slice()).unwrap_or_default() {
            let Some(index) = self.meta.data.iter().position(|d| &d.name == variable) else { continue };
            let Values::Real(values) = &self.data[index] else { continue };
            let bad: Vec<usize> = (0..values.len()).filter(|&k| !values[k].is_finite()).collect();
            for &k in bad.iter().take(3) {
                let name = element_name(&self.meta.data[index], &self.data_dims[index], k);
                lines.push(format!("  {name} is {} in the data; {need}", format_number(values[k])));
            }
            if bad.len() > 3 {
                lines.push(format!("  … and {} more non-finite elements of `{variable}`", bad.len() - 3));
            }
        }
        lines.join("\n")
    }

    /// The log density (every constant kept, Jacobian included), its gradient and its Hessian
    /// at `theta`, all on the unconstrained scale; the Hessian is exact (the compile-time
    /// transformation of `ad::tangent` and `ad::differentiate`), column by column: column j is
    /// the gradient of `∇f·eⱼ`. An error when the model has no Hessian entry point (the message
    /// says why) or the log density cannot be evaluated at `theta`.
    pub fn hessian(&self, theta: &[f64]) -> Result<Hessian, EvalError> {
        let value = self.log_density(theta, false)?;
        self.hessian_of(Entry::Hessian, self.entries.hessian, theta, value)
    }

    /// As [`CompiledModel::hessian`], of the log density `optimize` maximises by default: the
    /// propto density without the Jacobian (Stan's `log_prob_propto<false>`), whose value and
    /// gradient `gradient_with_jacobian(θ, false, …)` gives.
    pub fn hessian_no_jacobian(&self, theta: &[f64]) -> Result<Hessian, EvalError> {
        let Some(_) = self.entries.hessian_no_jacobian else {
            return self.hessian_of(Entry::HessianNoJacobian, None, theta, 0.0);
        };
        let mut gradient = vec![0.0; self.n_unconstrained];
        let value = self.gradient_with_jacobian(theta, false, &mut gradient)?;
        self.hessian_of(Entry::HessianNoJacobian, self.entries.hessian_no_jacobian, theta, value)
    }

    /// The Hessian by one of the two Hessian entry points, column by column: column j is the
    /// gradient of `∇f·eⱼ`.
    fn hessian_of(
        &self,
        which: Entry,
        entry: Option<EntryFn>,
        theta: &[f64],
        value: f64,
    ) -> Result<Hessian, EvalError> {
        let Some(entry) = entry else {
            let why = self.meta.no_hessian.clone().unwrap_or_else(|| "this model has no Hessian".into());
            return Err(EvalError { kind: EvalErrorKind::Fatal, message: why });
        };
        let n = self.n_unconstrained;
        let mut input = [theta, &vec![0.0; n]].concat();
        let mut out = vec![0.0; 2 * n];
        let mut result = Hessian { value, gradient: vec![0.0; n], hessian: vec![0.0; n * n] };
        for j in 0..n {
            input[n + j] = 1.0;
            out.fill(0.0);
            self.call(which, entry, &input, &mut out, std::ptr::null_mut())?;
            input[n + j] = 0.0;
            result.hessian[j * n..(j + 1) * n].copy_from_slice(&out[..n]);
            if j == 0 {
                result.gradient.copy_from_slice(&out[n..]);
            }
        }
        Ok(result)
    }

    /// The output variables, in output order.
    pub fn output_vars(&self) -> &[OutputVar] {
        &self.output_vars
    }

    pub fn meta(&self) -> &ModelMeta {
        &self.meta
    }

    /// Writes the lines of `print` output an evaluation of `entry` left in `ctx` (those before
    /// an error too, as Stan prints them). When the evaluation failed at a site whose message is
    /// [`MESSAGE_FROM_PRINTS`], the pieces after the last line are that message and stay in
    /// `ctx.prints` for [`CompiledModel::error_message`]; any other unfinished line is ended
    /// and written.
    fn flush_prints(&self, entry: Entry, ctx: &mut Ctx) {
        if ctx.prints.is_empty() {
            return;
        }
        let mut text = self.format_prints(entry, &ctx.prints);
        let sites = &self.meta.errors[entry as usize];
        let failed_at = usize::try_from(ctx.error_site).ok().and_then(|i| sites.get(i));
        if failed_at.is_some_and(|s| s.message == MESSAGE_FROM_PRINTS) {
            let lines = text.rfind('\n').map_or(0, |i| i + 1);
            text.truncate(lines);
            // Keep the pieces of the message: those after the last piece ending a line.
            let last_line = ctx.prints.iter().rposition(|&(site, _)| {
                usize::try_from(site).ok().and_then(|i| sites.get(i)).is_some_and(|s| s.message.ends_with('\n'))
            });
            ctx.prints.drain(..last_line.map_or(0, |i| i + 1));
        } else {
            ctx.prints.clear();
            if !text.ends_with('\n') {
                text.push('\n');
            }
        }
        if !text.is_empty() {
            (self.printer)(&text);
        }
    }

    /// The text of pieces of `print` output of an evaluation of `entry`.
    fn format_prints(&self, entry: Entry, prints: &[(i64, f64)]) -> String {
        let sites = &self.meta.errors[entry as usize];
        let mut text = String::new();
        for &(site, x) in prints {
            let Some(site) = usize::try_from(site).ok().and_then(|i| sites.get(i)) else { continue };
            text.push_str(&site.message);
            match site.kind {
                // A C++ stream's default precision, as Stan prints.
                SiteKind::PrintReal => text.push_str(&crate::output::format_g(x, 6)),
                SiteKind::PrintInt => text.push_str(&format!("{}", x as i64)),
                SiteKind::PrintText | SiteKind::Domain | SiteKind::Index | SiteKind::Fatal | SiteKind::Data => {}
            }
        }
        text
    }

    fn with_ctx<R>(&self, f: impl FnOnce(&mut Ctx) -> R) -> R {
        CTX.with(|cell| {
            let mut slot = cell.borrow_mut();
            let ctx = slot.get_or_insert_with(|| Box::new(Ctx::new(std::ptr::null_mut())));
            ctx.reset();
            ctx.slots = self.slots.as_ptr() as *mut Slot;
            f(ctx)
        })
    }

    /// The error the last call on this thread left in its context (which stays as it was until
    /// the next call resets it).
    fn last_error(&self, entry: Entry) -> EvalError {
        CTX.with(|cell| {
            let slot = cell.borrow();
            let ctx = slot.as_ref().expect("a call made the context");
            self.error_message(entry, ctx)
        })
    }

    fn error_message(&self, entry: Entry, ctx: &Ctx) -> EvalError {
        let sites = self.meta.errors.get(entry as usize).map_or(&[][..], Vec::as_slice);
        let Some(site) = usize::try_from(ctx.error_site).ok().and_then(|i| sites.get(i)) else {
            return EvalError { kind: EvalErrorKind::Domain, message: "a non-finite value was computed".into() };
        };
        let mut message = String::new();
        if site.message == MESSAGE_FROM_PRINTS {
            message = self.format_prints(entry, &ctx.prints);
        } else {
            let mut values = ctx.error_values.iter();
            let mut rest = site.message.as_str();
            while let Some(i) = rest.find("{}") {
                message.push_str(&rest[..i]);
                message.push_str(&format_number(*values.next().unwrap_or(&f64::NAN)));
                rest = &rest[i + 2..];
            }
            message.push_str(rest);
        }
        let kind = match site.kind {
            SiteKind::Domain => EvalErrorKind::Domain,
            SiteKind::Index => EvalErrorKind::Index,
            SiteKind::Fatal | SiteKind::Data => EvalErrorKind::Fatal,
            // Never an error: compiled code raises only error sites.
            SiteKind::PrintReal | SiteKind::PrintInt | SiteKind::PrintText => EvalErrorKind::Fatal,
        };
        let message = format!("{message} (at {}:{}:{})", self.meta.file, site.line, site.column);
        EvalError { kind, message }
    }

    /// Like `run`, with `rng` as the stream of the `*_rng` calls for the duration of the call.
    fn run_with_rng(
        &self,
        entry: Entry,
        f: EntryFn,
        theta: &[f64],
        out: &mut [f64],
        rng: &mut ChaCha8Rng,
    ) -> Result<f64, EvalError> {
        self.call(entry, f, theta, out, rng)
    }

    fn run(&self, entry: Entry, f: EntryFn, theta: &[f64], out: &mut [f64]) -> Result<f64, EvalError> {
        self.call(entry, f, theta, out, std::ptr::null_mut())
    }

    /// Calls an entry point with `rng` (or null) as the stream of its `*_rng` calls.
    fn call(
        &self,
        entry: Entry,
        f: EntryFn,
        theta: &[f64],
        out: &mut [f64],
        rng: *mut ChaCha8Rng,
    ) -> Result<f64, EvalError> {
        // The Hessian's input is [θ; v].
        let inputs =
            if matches!(entry, Entry::Hessian | Entry::HessianNoJacobian) { 2 } else { 1 } * self.n_unconstrained;
        assert_eq!(theta.len(), inputs, "theta has the entry point's input dimension");
        // The closure returns plain values and the error is built outside it: a `Result`
        // moved out of the thread-local access costs more than some small models' gradients.
        let mut value = 0.0;
        let failed = self.with_ctx(|ctx| {
            ctx.rng = rng;
            // Safety: theta has the elements the entry point reads (n_unconstrained, the
            // Hessian's 2n); out is sized by the caller for the entry point (gradient:
            // n_unconstrained; Hessian: 2n; write_array: the outputs); the stream, if any,
            // outlives the call and is unset right after.
            value = unsafe { f(ctx, theta.as_ptr(), theta.len() as i64, out.as_mut_ptr()) };
            ctx.rng = std::ptr::null_mut();
            if !ctx.prints.is_empty() {
                self.flush_prints(entry, ctx);
            }
            ctx.error_site >= 0
        });
        if failed {
            return Err(self.last_error(entry));
        }
        Ok(value)
    }
}

thread_local! {
    // One context per thread, reused by every model and every call: its arena and tape keep
    // their capacity, so an evaluation allocates nothing once warm.
    static CTX: std::cell::RefCell<Option<Box<Ctx>>> = const { std::cell::RefCell::new(None) };
}

/// Names of every element in Stan's output order: the first index varies fastest.
fn column_major_names(name: &str, dims: &[usize]) -> Vec<OutputName> {
    let total: usize = dims.iter().product();
    let mut out = Vec::with_capacity(total);
    for k in 0..total {
        let mut rem = k;
        let mut indices = Vec::with_capacity(dims.len());
        for d in dims {
            indices.push(rem % d + 1);
            rem /= d;
        }
        out.push(OutputName { name: name.to_string(), indices, part: None });
    }
    if dims.is_empty() {
        out.push(OutputName { name: name.to_string(), indices: vec![], part: None });
        out.truncate(1);
    }
    out
}

/// `y[2,3]`: Stan's name of the `k`-th flat element of a data variable (arrays row-major, then
/// a vector's elements, or a matrix's in column-major order).
fn element_name(spec: &DataSpec, dims: &[usize], k: usize) -> String {
    if dims.is_empty() {
        return spec.name.clone();
    }
    let (array_dims, inner_dims) = dims.split_at(spec.array_rank.min(dims.len()));
    let inner: usize = inner_dims.iter().product();
    let (mut outer, within) = (k / inner.max(1), k % inner.max(1));
    let mut indices = vec![0; array_dims.len()];
    for (slot, d) in indices.iter_mut().zip(array_dims).rev() {
        *slot = outer % d + 1;
        outer /= d;
    }
    match inner_dims {
        [] => {}
        [_] => indices.push(within + 1),
        [rows, ..] => {
            indices.push(within % rows + 1);
            indices.push(within / rows + 1);
        }
    }
    let indices: Vec<String> = indices.iter().map(usize::to_string).collect();
    format!("{}[{}]", spec.name, indices.join(","))
}

fn format_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 { format!("{}", x as i64) } else { format!("{x}") }
}

impl CompiledModel {
    /// The propto log density and its gradient, with the Jacobian of the constraining
    /// transforms (`jacobian`, what [`Model::log_density_gradient`] computes) or without it
    /// (CmdStan's `jacobian=0`: the density of the constrained parameters, whose mode is Stan's
    /// maximum a posteriori estimate). Without it, the model must have been compiled with that
    /// entry point (every built executable is).
    pub fn gradient_with_jacobian(&self, theta: &[f64], jacobian: bool, grad: &mut [f64]) -> Result<f64, EvalError> {
        if jacobian {
            return self.log_density_gradient(theta, grad);
        }
        let f = self.entries.gradient_no_jacobian.ok_or_else(|| EvalError {
            kind: EvalErrorKind::Fatal,
            message: "this model was compiled without its log density without the Jacobian".into(),
        })?;
        grad.fill(0.0);
        self.run(Entry::GradientNoJacobian, f, theta, grad)
    }
}

impl Model for CompiledModel {
    fn n_unconstrained(&self) -> usize {
        self.n_unconstrained
    }

    fn output_names(&self) -> &[OutputName] {
        &self.output_names
    }

    fn log_density(&self, theta: &[f64], propto: bool) -> Result<f64, EvalError> {
        if propto {
            // The gradient function returns the value without constants: no separate entry
            // point is compiled for a value the fit never asks for alone.
            let mut grad = vec![0.0; self.n_unconstrained];
            return self.run(Entry::Gradient, self.entries.gradient, theta, &mut grad);
        }
        self.run(Entry::LogDensity, self.entries.log_density, theta, &mut [])
    }

    fn explain_non_finite(&self, theta: &[f64]) -> Option<String> {
        self.locate_non_finite(theta)
    }

    fn log_density_gradient(&self, theta: &[f64], grad: &mut [f64]) -> Result<f64, EvalError> {
        grad.fill(0.0);
        self.run(Entry::Gradient, self.entries.gradient, theta, grad)
    }

    fn write_array(&self, theta: &[f64], rng: &mut ChaCha8Rng, out: &mut [f64]) -> Result<(), EvalError> {
        self.run_with_rng(Entry::WriteArray, self.entries.write_array, theta, out, rng).map(|_| ())
    }
}
