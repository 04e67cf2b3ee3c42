//! Shared helpers of the end-to-end tests: compile a program through every stage and run it.

use std::path::{Path, PathBuf};

use compiler::driver::{self, Source, Stages};
use runtime::Model;
use runtime::compiled::CompiledModel;
use runtime::data::{self, DataFile};

pub mod evidence_cases;

/// The repository root (this crate lives in `tests/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// Every file with one of `exts` under `dir`, sorted, recursively.
pub fn files(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().and_then(|x| x.to_str()).is_some_and(|x| exts.contains(&x)) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

pub fn source(path: &Path) -> Source {
    let text = std::fs::read_to_string(path).expect("test program is readable");
    let name = path.file_stem().expect("file has a name").to_string_lossy().into_owned();
    Source { name, path: path.display().to_string(), text }
}

/// The data file beside a program: `NAME.data.json`, or `data.json` in its folder.
pub fn data_for(path: &Path) -> DataFile {
    let stem = path.file_stem().expect("file has a name").to_string_lossy().into_owned();
    let dir = path.parent().expect("file has a folder");
    for p in [dir.join(format!("{stem}.data.json")), dir.join("data.json")] {
        if p.is_file() {
            let text = std::fs::read_to_string(&p).expect("data file is readable");
            return data::parse_data_file(&text).expect("test data parses");
        }
    }
    DataFile::empty()
}

/// Compiles and loads a model; the JIT's code is kept alive for the rest of the test process.
pub fn load(path: &Path) -> Result<(CompiledModel, Stages), String> {
    load_with(path, &data_for(path))
}

/// Compiles a model and loads it with the given data; the JIT's code is kept alive.
pub fn load_with(path: &Path, data: &DataFile) -> Result<(CompiledModel, Stages), String> {
    compile_and_load(&source(path), data, false)
}

/// Compiles a model with its Hessian entry point (`driver::hessian`) and loads it with the data
/// beside it.
pub fn load_with_hessian(path: &Path) -> Result<(CompiledModel, Stages), String> {
    compile_and_load(&source(path), &data_for(path), true)
}

/// Compiles and loads a model given as text (no data), with its Hessian entry point.
pub fn load_text_with_hessian(text: &str) -> Result<CompiledModel, String> {
    let src = Source { name: "test".into(), path: "test.stan".into(), text: text.to_string() };
    compile_and_load(&src, &DataFile::empty(), true).map(|(model, _)| model)
}

/// Compiles and loads a model; with `hessian`, as `vppl build` compiles it (the no-Jacobian
/// gradient, and both Hessians).
fn compile_and_load(src: &Source, data: &DataFile, hessian: bool) -> Result<(CompiledModel, Stages), String> {
    let extras = if hessian { driver::BUILD_EXTRAS } else { driver::Extras::default() };
    let mut stages = driver::compile_ir_with(src, extras).map_err(|d| format!("{d:?}"))?;
    if hessian {
        driver::hessian(&mut stages);
    }
    let native = driver::compile_native(src, &mut stages)?;
    let model = CompiledModel::new(native.entries, native.meta, data).map_err(|e| e.message)?;
    std::mem::forget(native.jit);
    Ok((model, stages))
}

/// Central finite differences of the propto log density.
pub fn finite_differences(model: &CompiledModel, point: &[f64], h: f64) -> Vec<f64> {
    (0..point.len())
        .map(|i| {
            let mut p = point.to_vec();
            p[i] = point[i] + h;
            let up = model.log_density(&p, true).expect("finite at the test point");
            p[i] = point[i] - h;
            let down = model.log_density(&p, true).expect("finite at the test point");
            (up - down) / (2.0 * h)
        })
        .collect()
}

/// Asserts that the compiled gradient at `x` agrees with central finite differences (step
/// 1e-6, tolerance 1e-5 relative, or absolute below 1); `what` names the case in the message.
pub fn assert_gradient_matches(model: &CompiledModel, x: &[f64], what: &str) {
    let mut grad = vec![0.0; x.len()];
    let lp = model.log_density_gradient(x, &mut grad).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(lp.is_finite(), "{what}: log density {lp} at {x:?}");
    for (i, fd) in finite_differences(model, x, 1e-6).into_iter().enumerate() {
        assert!(
            (grad[i] - fd).abs() <= 1e-5 * fd.abs().max(1.0),
            "{what}: d/dx{i} = {} but finite differences give {fd} at {x:?}",
            grad[i]
        );
    }
}

/// A deterministic point in (−r, r)ⁿ.
pub fn point(n: usize, seed: u64, r: f64) -> Vec<f64> {
    let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(1);
    (0..n)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let u = (s >> 11) as f64 / (1u64 << 53) as f64;
            r * (2.0 * u - 1.0)
        })
        .collect()
}

/// Compiles and loads a model given as text (no data).
pub fn load_text(text: &str) -> Result<CompiledModel, String> {
    let src = Source { name: "test".into(), path: "test.stan".into(), text: text.to_string() };
    compile_and_load(&src, &DataFile::empty(), false).map(|(model, _)| model)
}

/// Compiles and loads a model given as text, with data given as CmdStan JSON text.
pub fn load_text_data(text: &str, data: &str) -> Result<CompiledModel, String> {
    let src = Source { name: "test".into(), path: "test.stan".into(), text: text.to_string() };
    let data = runtime::data::parse_data_file(data).map_err(|e| e.to_string())?;
    compile_and_load(&src, &data, false).map(|(model, _)| model)
}

/// Central differences of the compiled gradient, with the Jacobian or without it: column j is
/// (∇f(x + h eⱼ) − ∇f(x − h eⱼ)) / 2h.
pub fn gradient_differences(model: &CompiledModel, x: &[f64], jacobian: bool) -> Vec<f64> {
    let n = x.len();
    let mut h = vec![0.0; n * n];
    let (mut up, mut down) = (vec![0.0; n], vec![0.0; n]);
    for j in 0..n {
        let step = 1e-5 * x[j].abs().max(1.0);
        let mut p = x.to_vec();
        p[j] = x[j] + step;
        model.gradient_with_jacobian(&p, jacobian, &mut up).expect("finite near the test point");
        p[j] = x[j] - step;
        model.gradient_with_jacobian(&p, jacobian, &mut down).expect("finite near the test point");
        for i in 0..n {
            h[j * n + i] = (up[i] - down[i]) / (2.0 * step);
        }
    }
    h
}

/// The Hessian at `x` (`CompiledModel::hessian`) agrees with central differences of the
/// compiled gradient (1e-5 relative, absolute below 1, plus 1e-7 of the largest entry, which
/// the differences' rounding scales with), is symmetric to rounding, and comes with the log
/// density and the gradient the other entry points give.
pub fn assert_hessian_matches(model: &CompiledModel, x: &[f64], what: &str) {
    assert_one_hessian_matches(model, x, what, true);
    assert_one_hessian_matches(model, x, &format!("{what}, without the Jacobian"), false);
}

/// The Hessian with the Jacobian (`CompiledModel::hessian`, the value with every constant) or
/// without it (`hessian_no_jacobian`, the value the no-Jacobian gradient gives).
fn assert_one_hessian_matches(model: &CompiledModel, x: &[f64], what: &str, jacobian: bool) {
    let n = x.len();
    let got = if jacobian { model.hessian(x) } else { model.hessian_no_jacobian(x) };
    let got = got.unwrap_or_else(|e| panic!("{what}: {e}"));
    let mut grad = vec![0.0; n];
    let value = model.gradient_with_jacobian(x, jacobian, &mut grad).expect("finite at the test point");
    let lp = if jacobian { model.log_density(x, false).expect("finite at the test point") } else { value };
    assert_eq!(got.value, lp, "{what}: value");
    for (i, (g, want)) in got.gradient.iter().zip(&grad).enumerate() {
        assert!(
            (g - want).abs() <= 1e-9 * want.abs().max(1.0),
            "{what}: gradient[{i}] = {g} but the gradient entry gives {want}"
        );
    }
    let fd = gradient_differences(model, x, jacobian);
    let h = &got.hessian;
    let scale = fd.iter().chain(h.iter()).fold(1.0f64, |m, v| m.max(v.abs()));
    for j in 0..n {
        for i in 0..n {
            let (g, want) = (h[j * n + i], fd[j * n + i]);
            assert!(
                (g - want).abs() <= 1e-5 * want.abs().max(1.0) + 1e-7 * scale,
                "{what}: H[{i},{j}] = {g} but differences of the gradient give {want} at {x:?}"
            );
            let t = h[i * n + j];
            assert!((g - t).abs() <= 1e-8 * scale, "{what}: H[{i},{j}] = {g} but H[{j},{i}] = {t}");
        }
    }
}
