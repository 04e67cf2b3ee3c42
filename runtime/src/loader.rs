//! Loads a model's object file (what `vppl build` puts in an executable) into executable
//! memory of this process: a small static linker for the one kind of object vppl's code
//! generator writes.
//!
//! The object is an ELF relocatable file from `cranelift-object`: the entry points are exported
//! functions named [`entry_symbol`]`(k)` in the order of [`Entry`](crate::compiled::Entries),
//! and the runtime's functions (`abi::symbols`) are undefined symbols. Every allocated section
//! is copied into one anonymous mapping, each relocation is applied (the runtime's functions by
//! name, the object's own symbols by their place in the mapping), and the mapping is made
//! read-and-execute (never writable and executable at once).

use object::{Object, ObjectSection, ObjectSymbol, RelocationFlags, RelocationTarget, SectionKind};

use crate::compiled::{Entries, Entry, EntryFn};

/// The symbol of entry point `k`.
pub fn entry_symbol(k: usize) -> String {
    format!("vppl_entry_{k}")
}

/// A model's code loaded into memory; the mapping lives as long as this value.
pub struct LoadedCode {
    _code: memmap2::Mmap,
    pub entries: Entries,
}

/// Loads `object` and resolves its undefined symbols against the runtime's.
pub fn load(object: &[u8]) -> Result<LoadedCode, String> {
    let file = object::File::parse(object).map_err(|e| format!("the model's object code is damaged: {e}"))?;
    // Lay out every allocated section in one mapping, each at its alignment.
    let mut places: Vec<(object::SectionIndex, usize)> = Vec::new();
    let mut size = 0usize;
    for section in file.sections() {
        let loaded = matches!(
            section.kind(),
            SectionKind::Text
                | SectionKind::Data
                | SectionKind::ReadOnlyData
                | SectionKind::ReadOnlyDataWithRel
                | SectionKind::ReadOnlyString
                | SectionKind::UninitializedData
        );
        if !loaded || section.size() == 0 {
            continue;
        }
        let align = section.align().max(1) as usize;
        size = size.div_ceil(align) * align;
        places.push((section.index(), size));
        size += section.size() as usize;
    }
    let mut map =
        memmap2::MmapMut::map_anon(size.max(1)).map_err(|e| format!("cannot map memory for the model: {e}"))?;
    let base = map.as_mut_ptr() as usize;
    let place = |index: object::SectionIndex| places.iter().find(|(i, _)| *i == index).map(|(_, at)| *at);
    for section in file.sections() {
        let Some(at) = place(section.index()) else { continue };
        if section.kind() != SectionKind::UninitializedData {
            let bytes = section.data().map_err(|e| e.to_string())?;
            map[at..at + bytes.len()].copy_from_slice(bytes);
        }
    }
    let runtime: std::collections::HashMap<&str, usize> =
        crate::abi::symbols().into_iter().map(|(name, ptr)| (name, ptr as usize)).collect();
    let address = |symbol: &object::Symbol| -> Result<usize, String> {
        let name = symbol.name().unwrap_or("");
        if symbol.is_undefined() {
            return runtime
                .get(name)
                .copied()
                .ok_or_else(|| format!("the model calls `{name}`, which this runtime lacks"));
        }
        let section = symbol.section_index().ok_or_else(|| format!("symbol `{name}` has no section"))?;
        let at = place(section).ok_or_else(|| format!("symbol `{name}` is in a section that is not loaded"))?;
        Ok(base + at + symbol.address() as usize)
    };
    for section in file.sections() {
        let Some(at) = place(section.index()) else { continue };
        for (offset, reloc) in section.relocations() {
            let target = match reloc.target() {
                RelocationTarget::Symbol(i) => {
                    let symbol = file.symbol_by_index(i).map_err(|e| e.to_string())?;
                    address(&symbol)?
                }
                RelocationTarget::Section(i) => base + place(i).ok_or("a relocation against a section not loaded")?,
                _ => return Err("a relocation of a kind vppl does not write".into()),
            };
            let value = (target as i64).wrapping_add(reloc.addend());
            let site = at + offset as usize;
            let pc = (base + site) as i64;
            match reloc.flags() {
                // R_X86_64_64: the absolute address.
                RelocationFlags::Elf { r_type: object::elf::R_X86_64_64 } => {
                    map[site..site + 8].copy_from_slice(&value.to_le_bytes());
                }
                // R_X86_64_PC32 and PLT32 (a call resolved directly): relative to the site.
                RelocationFlags::Elf { r_type: object::elf::R_X86_64_PC32 | object::elf::R_X86_64_PLT32 } => {
                    let rel =
                        i32::try_from(value - pc).map_err(|_| "a relative relocation out of range".to_string())?;
                    map[site..site + 4].copy_from_slice(&rel.to_le_bytes());
                }
                // aarch64 (`vppl build` on an ARM machine): absolute 64-bit addresses only, as
                // the code generator writes them outside PIC.
                RelocationFlags::Elf { r_type: object::elf::R_AARCH64_ABS64 } => {
                    map[site..site + 8].copy_from_slice(&value.to_le_bytes());
                }
                other => return Err(format!("a relocation of a kind vppl does not write ({other:?})")),
            }
        }
    }
    let entry = |k: usize| -> Result<EntryFn, String> {
        let name = entry_symbol(k);
        let symbol = file.symbol_by_name(&name).ok_or_else(|| format!("the model's object lacks `{name}`"))?;
        let at = address(&symbol)?;
        // Safety: the code generator writes every entry point with EntryFn's signature; the
        // address is made executable below, before any call.
        Ok(unsafe { std::mem::transmute::<usize, EntryFn>(at) })
    };
    let optional =
        |e: Entry| file.symbol_by_name(&entry_symbol(e as usize)).is_some().then(|| entry(e as usize)).transpose();
    let entries = Entries {
        load: entry(0)?,
        sizes: entry(1)?,
        log_density: entry(2)?,
        gradient: entry(3)?,
        write_array: entry(4)?,
        validate: entry(5)?,
        locate: entry(6)?,
        unconstrain: entry(7)?,
        precompute: entry(8)?,
        // Optional: present when the model was compiled with them (`vppl build` asks for both).
        gradient_no_jacobian: optional(Entry::GradientNoJacobian)?,
        hessian: optional(Entry::Hessian)?,
        hessian_no_jacobian: optional(Entry::HessianNoJacobian)?,
    };
    let code = map.make_exec().map_err(|e| format!("cannot make the model's code executable: {e}"))?;
    flush_instruction_cache(&code);
    Ok(LoadedCode { _code: code, entries })
}

/// Code written through the data cache must reach the instruction cache before it runs: a
/// no-op on x86-64, required on aarch64.
fn flush_instruction_cache(_code: &[u8]) {
    #[cfg(target_arch = "aarch64")]
    // Safety: the range is the mapping just written; `ic ivau`/`dc cvau` take any address.
    unsafe {
        let start = _code.as_ptr() as usize;
        for line in (start..start + _code.len()).step_by(64) {
            std::arch::asm!("dc cvau, {0}", in(reg) line);
        }
        std::arch::asm!("dsb ish");
        for line in (start..start + _code.len()).step_by(64) {
            std::arch::asm!("ic ivau, {0}", in(reg) line);
        }
        std::arch::asm!("dsb ish", "isb");
    }
}

/// The end of a built executable: after the runner's own bytes come the model's object code,
/// its [`ModelMeta`](crate::compiled::ModelMeta) as JSON, and this trailer (magic, then the two
/// lengths as little-endian u64).
const MAGIC: &[u8; 16] = b"vppl model v1\0\0\0";
const TRAILER: usize = MAGIC.len() + 16;

/// A built executable: the runner's bytes with the model appended.
pub fn bundle(runner: &[u8], object: &[u8], meta: &crate::compiled::ModelMeta) -> Result<Vec<u8>, String> {
    let meta = serde_json::to_vec(meta).map_err(|e| e.to_string())?;
    let mut out = Vec::with_capacity(runner.len() + object.len() + meta.len() + TRAILER);
    out.extend_from_slice(runner);
    out.extend_from_slice(object);
    out.extend_from_slice(&meta);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(object.len() as u64).to_le_bytes());
    out.extend_from_slice(&(meta.len() as u64).to_le_bytes());
    Ok(out)
}

/// The model a built executable carries (its object code and meta), read from the end of the
/// file at `path`; `None` when the file carries none (the bare runner).
pub fn unbundle(path: &std::path::Path) -> Result<Option<(Vec<u8>, crate::compiled::ModelMeta)>, String> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = std::fs::File::open(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let len = file.metadata().map_err(|e| e.to_string())?.len();
    if len < TRAILER as u64 {
        return Ok(None);
    }
    let mut trailer = [0u8; TRAILER];
    file.seek(SeekFrom::End(-(TRAILER as i64))).map_err(|e| e.to_string())?;
    file.read_exact(&mut trailer).map_err(|e| e.to_string())?;
    if &trailer[..MAGIC.len()] != MAGIC {
        return Ok(None);
    }
    let word = |at: usize| u64::from_le_bytes(trailer[at..at + 8].try_into().expect("8 bytes"));
    let (object_len, meta_len) = (word(MAGIC.len()), word(MAGIC.len() + 8));
    let payload =
        object_len.checked_add(meta_len).filter(|n| n + TRAILER as u64 <= len).ok_or("the model is damaged")?;
    file.seek(SeekFrom::End(-((payload + TRAILER as u64) as i64))).map_err(|e| e.to_string())?;
    let mut bytes = vec![0u8; payload as usize];
    file.read_exact(&mut bytes).map_err(|e| e.to_string())?;
    let meta =
        serde_json::from_slice(&bytes[object_len as usize..]).map_err(|e| format!("the model is damaged: {e}"))?;
    bytes.truncate(object_len as usize);
    Ok(Some((bytes, meta)))
}
