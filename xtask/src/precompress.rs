//! Compresses the built app once, at build time, at the highest settings
//! (brotli 11, gzip 9), so that the server sends these files as they are
//! instead of compressing on the fly at a middling level: on a bad phone
//! network every kilobyte of the first load counts.

use std::io::Write;
use std::path::Path;

/// Files smaller than this are not worth a compressed twin.
const MIN_BYTES: usize = 512;

/// Writes `NAME.br` and `NAME.gz` beside each file of `dist/` that is worth
/// it, replacing any from an earlier build.
pub fn dist(dist: &Path) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dist).map_err(|e| format!("reading {}: {e}", dist.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path.to_string_lossy().into_owned();
        if !path.is_file() || name.ends_with(".br") || name.ends_with(".gz") {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("reading {name}: {e}"))?;
        if bytes.len() < MIN_BYTES {
            continue;
        }
        std::fs::write(format!("{name}.br"), brotli(&bytes)?)
            .map_err(|e| format!("writing {name}.br: {e}"))?;
        std::fs::write(format!("{name}.gz"), gzip(&bytes, 9)?)
            .map_err(|e| format!("writing {name}.gz: {e}"))?;
    }
    Ok(())
}

/// Brotli at quality 11, window 22.
pub fn brotli(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        w.write_all(bytes).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

pub fn gzip(bytes: &[u8], level: u32) -> Result<Vec<u8>, String> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
    enc.write_all(bytes).map_err(|e| e.to_string())?;
    enc.finish().map_err(|e| e.to_string())
}
