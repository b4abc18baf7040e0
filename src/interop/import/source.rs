//! The file an import reads: read once, its digest taken (rows imported from it are
//! recognised by that digest, never by the file's name), and, for a workbook, the
//! size its parts unpack to checked against [`MAX_UNPACKED`] before anything is parsed.
//!
//! An `.xlsx` file is a zip archive: a 1.5 MB file can hold sheets that unpack to
//! 1.5 GB. The sizes come from the archive's central directory, and the `zip` crate
//! stops reading an entry at its declared size (a lying header ends in an error, not
//! more memory), so the check holds for what calamine then reads.

use std::io::{Cursor, Read};

use sha2::{Digest, Sha256};

/// The most a file, or the workbook parts an import reads, may unpack to: 512 MiB.
/// A 100,000-request export (Requests and Tracker sheets) unpacks to about a quarter
/// of this; the limit is documented in docs/cli.md.
pub const MAX_UNPACKED: u64 = 512 * 1024 * 1024;

/// A file's bytes and their SHA-256 in hex.
pub struct SourceFile {
    pub bytes: Vec<u8>,
    pub digest: String,
}

fn mib(n: u64) -> String {
    format!("{:.1} MiB", n as f64 / (1024.0 * 1024.0))
}

/// Reads `path` whole (refusing one larger than [`MAX_UNPACKED`]) and takes its digest.
pub fn read_file(path: &std::path::Path) -> Result<SourceFile, String> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| format!("{name}: {e}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_UNPACKED + 1).read_to_end(&mut bytes).map_err(|e| format!("{name}: {e}"))?;
    if bytes.len() as u64 > MAX_UNPACKED {
        return Err(format!(
            "{name} is larger than the {} an import reads: split it and import each part",
            mib(MAX_UNPACKED)
        ));
    }
    let digest = hex::encode(Sha256::digest(&bytes));
    Ok(SourceFile { bytes, digest })
}

/// Refuses a workbook whose parts an import reads (everything but the sheets it does
/// not import) unpack to more than [`MAX_UNPACKED`]. A file that is not a zip archive
/// passes: calamine says what is wrong with it, and nothing in it is compressed.
pub fn check_unpacked(name: &str, bytes: &[u8], sheets: &[&str]) -> Result<(), String> {
    check_unpacked_within(name, bytes, sheets, MAX_UNPACKED)
}

fn check_unpacked_within(name: &str, bytes: &[u8], sheets: &[&str], limit: u64) -> Result<(), String> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return Ok(()) };
    let sizes: Vec<(String, u64)> = (0..zip.len())
        .filter_map(|i| {
            let f = zip.by_index_raw(i).ok()?;
            Some((f.name().ok()?.to_string(), f.size()))
        })
        .collect();
    let total = sizes.iter().fold(0u64, |sum, (_, size)| sum.saturating_add(*size));
    if total <= limit {
        return Ok(());
    }
    // Over the limit as a whole: leave out the sheets that will not be read, if the
    // workbook says (within the limit) which parts they are.
    let skipped = unread_sheets(&mut zip, &sizes, sheets, limit);
    let read =
        sizes.iter().filter(|(path, _)| !skipped.contains(path)).fold(0u64, |sum, (_, size)| sum.saturating_add(*size));
    if read <= limit {
        return Ok(());
    }
    Err(format!(
        "{name} unpacks to {}, more than the {} an import reads: it is not a spreadsheet caseshare can take \
         (remove what is not needed, or split it, and import each part)",
        mib(read),
        mib(limit)
    ))
}

/// The archive paths of the sheets other than `sheets`, by the workbook's sheet list
/// and relationships; empty when they cannot be read.
fn unread_sheets(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    sizes: &[(String, u64)],
    sheets: &[&str],
    limit: u64,
) -> Vec<String> {
    let mut part = |path: &str| -> Option<Vec<u8>> {
        let size = sizes.iter().find(|(p, _)| p == path)?.1;
        if size > limit {
            return None;
        }
        let mut out = Vec::new();
        zip.by_name(path).ok()?.read_to_end(&mut out).ok()?;
        Some(out)
    };
    let (Some(book), Some(rels)) = (part("xl/workbook.xml"), part("xl/_rels/workbook.xml.rels")) else {
        return vec![];
    };
    let targets = elements(&rels, "Relationship", &["Id", "Target"]);
    elements(&book, "sheet", &["name", "id"])
        .into_iter()
        .filter(|s| !sheets.contains(&s[0].as_str()))
        .filter_map(|s| targets.iter().find(|t| t[0] == s[1]).map(|t| t[1].clone()))
        .map(|target| match target.strip_prefix('/') {
            Some(absolute) => absolute.to_string(),
            None => format!("xl/{target}"),
        })
        .collect()
}

/// For each element named `tag` (any namespace), the values of `attrs` (by local
/// name), when it has them all.
fn elements(xml: &[u8], tag: &str, attrs: &[&str]) -> Vec<Vec<String>> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().into_inner() == tag => {
                let mut values = vec![None; attrs.len()];
                for a in e.attributes().flatten() {
                    if let Some(i) = attrs.iter().position(|n| *n == a.key.local_name().into_inner())
                        && let Ok(v) = a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    {
                        values[i] = Some(v.into_owned());
                    }
                }
                if let Some(values) = values.into_iter().collect::<Option<Vec<String>>>() {
                    out.push(values);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// A workbook-shaped archive: `Big` unpacks to `big` bytes of spaces.
    fn archive(big: usize) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/workbook.xml", deflated).unwrap();
        zip.write_all(
            br#"<workbook xmlns:r="r"><sheets><sheet name="Requests" sheetId="1" r:id="rId1"/><sheet name="Big &amp; old" sheetId="2" r:id="rId2"/></sheets></workbook>"#,
        )
        .unwrap();
        zip.start_file("xl/_rels/workbook.xml.rels", deflated).unwrap();
        zip.write_all(br#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Target="/xl/worksheets/sheet2.xml"/></Relationships>"#).unwrap();
        zip.start_file("xl/worksheets/sheet1.xml", deflated).unwrap();
        zip.write_all(b"<worksheet/>").unwrap();
        zip.start_file("xl/worksheets/sheet2.xml", deflated).unwrap();
        let spaces = vec![b' '; 1 << 20];
        for _ in 0..big / spaces.len() {
            zip.write_all(&spaces).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn parts_over_the_limit_are_refused_unless_they_are_sheets_not_imported() {
        let book = archive(8 << 20);
        assert!(book.len() < 100_000, "{} bytes", book.len());
        let e = check_unpacked_within("big.xlsx", &book, &["Big & old"], 4 << 20).unwrap_err();
        assert!(e.starts_with("big.xlsx unpacks to 8.0 MiB, more than the 4.0 MiB an import reads"), "{e}");
        check_unpacked_within("big.xlsx", &book, &["Requests"], 4 << 20).unwrap();
        check_unpacked_within("big.xlsx", &book, &["Requests", "Big & old"], 16 << 20).unwrap();
        check_unpacked_within("notes.txt", b"not a zip", &["Requests"], 1).unwrap();
    }

    #[test]
    fn an_entry_that_unpacks_past_its_declared_size_stops_at_it() {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/worksheets/sheet1.xml", deflated).unwrap();
        zip.write_all(&vec![b' '; 1 << 20]).unwrap();
        let mut bytes = zip.finish().unwrap().into_inner();
        // Declare 1 KiB in the central directory (signature PK\x01\x02; size at +24):
        // reading stops one byte past it, with an error.
        let cd = bytes.windows(4).rposition(|w| w == b"PK\x01\x02").unwrap();
        bytes[cd + 24..cd + 28].copy_from_slice(&1024u32.to_le_bytes());
        let mut zip = zip::ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
        assert_eq!(zip.by_index_raw(0).unwrap().size(), 1024);
        let mut out = Vec::new();
        let read = match zip.by_index(0) {
            Ok(mut entry) => entry.read_to_end(&mut out).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        assert!(read.is_err() && out.len() <= 1025, "read {} bytes: {read:?}", out.len());
    }
}
