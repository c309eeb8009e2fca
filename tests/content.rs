//! The committed `content/` folder: fresh (regenerating it changes
//! nothing), loadable, and every link in it leads somewhere.

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use pulldown_cmark::{Event, Parser, Tag};
use setproc::store::library::Library;

fn content_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/content"))
}

#[test]
fn committed_content_is_what_the_build_writes() {
    let lib = Library::embedded();
    let rendered = lib.render_files();
    let mut stale = Vec::new();
    for (name, body) in &rendered.files {
        match fs::read_to_string(content_dir().join(name)) {
            Ok(on_disk) if on_disk == *body => {}
            Ok(_) => stale.push(format!("{name} differs")),
            Err(_) => stale.push(format!("{name} is missing")),
        }
    }
    let mut wanted: HashSet<&str> = rendered.files.iter().map(|(n, _)| n.as_str()).collect();
    // Written beside the markdown; tests/situations.rs holds it fresh.
    wanted.insert(setproc::search::dense::VECTORS_FILE);
    for e in fs::read_dir(content_dir()).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !wanted.contains(name.as_str()) {
            stale.push(format!("{name} is not written by the build"));
        }
    }
    assert!(
        stale.is_empty(),
        "content/ is stale; run `cargo run --release -- build` and commit:\n{}",
        stale.join("\n")
    );
    // One file per node, named by id.
    assert!(content_dir().join("B24.8.md").is_file() && content_dir().join("part-B3.md").is_file());
}

#[test]
fn the_content_folder_loads_back_into_the_same_library() {
    let loaded = Library::load(content_dir()).expect("content/ loads");
    let built = Library::embedded();
    // Field by field, so that a failure says what differs.
    assert_eq!(loaded.metas.len(), built.metas.len());
    for (a, b) in loaded.metas.iter().zip(&built.metas) {
        assert_eq!(a, b);
    }
    for (i, (a, b)) in loaded.bodies.iter().zip(&built.bodies).enumerate() {
        assert_eq!(a, b, "body of {}", built.metas[i].id);
    }
    assert_eq!(loaded.citations, built.citations);
    assert_eq!(loaded.warnings, built.warnings);
    assert_eq!(loaded.source_name, built.source_name);
    assert!(
        loaded.vocabulary() == built.vocabulary(),
        "vocabulary differs"
    );
    assert_eq!(loaded.content_hash(), built.content_hash());
    assert_eq!(loaded, built);
}

#[test]
fn every_link_leads_to_an_existing_file_and_anchor() {
    let mut anchors: HashSet<(String, String)> = HashSet::new();
    let mut files: Vec<(String, String)> = Vec::new();
    for e in fs::read_dir(content_dir()).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".md") {
            continue;
        }
        let text = fs::read_to_string(e.path()).unwrap();
        for part in text.split("<a id=\"").skip(1) {
            if let Some(id) = part.split('"').next() {
                anchors.insert((name.clone(), id.to_string()));
            }
        }
        files.push((name, text));
    }
    let names: HashSet<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    let (mut checked, mut with_anchor) = (0, 0);
    for (name, text) in &files {
        for ev in Parser::new(text) {
            let Event::Start(Tag::Link { dest_url, .. }) = ev else {
                continue;
            };
            if dest_url.contains("://")
                || dest_url.starts_with("mailto:")
                || dest_url.starts_with("tel:")
            {
                continue;
            }
            let (file, anchor) = dest_url.split_once('#').unwrap_or((&dest_url, ""));
            assert!(
                names.contains(file),
                "{name}: link to missing file {dest_url}"
            );
            if !anchor.is_empty() {
                assert!(
                    anchors.contains(&(file.to_string(), anchor.to_string())),
                    "{name}: link to missing anchor {dest_url}"
                );
                with_anchor += 1;
            }
            checked += 1;
        }
    }
    // Citations (~500) and the contents lists (~800) are links.
    assert!(checked > 1200, "only {checked} links");
    assert!(with_anchor > 10, "only {with_anchor} paragraph links");
}

#[test]
fn a_stale_citation_links_to_the_section_its_title_names() {
    let a73 = fs::read_to_string(content_dir().join("A7.3.md")).unwrap();
    assert!(
        a73.contains("[Part B, chapter 37, Historical abuse](B36.md \"cited as B37"),
        "A7.3 should link the stale citation to B36"
    );
}

/// `build --content DIR` must never delete or overwrite files it did not write.
#[test]
fn writing_content_touches_only_setproc_files() {
    use setproc::store::content::{WriteError, write_dir};
    let rendered = Library::embedded().render_files();
    let dir = tempfile::tempdir().unwrap();

    // A folder of someone else's notes is refused and left as it was.
    let notes = dir.path().join("notes");
    fs::create_dir(&notes).unwrap();
    fs::write(notes.join("README.md"), "my notes").unwrap();
    let err = write_dir(&notes, &rendered).unwrap_err();
    assert!(matches!(err, WriteError::NotContent(_)), "{err}");
    assert_eq!(
        fs::read_to_string(notes.join("README.md")).unwrap(),
        "my notes"
    );
    assert_eq!(fs::read_dir(&notes).unwrap().count(), 1);

    // So is a folder whose `manifest.json` is another program's, even one
    // that lists files the way setproc's does.
    let app = dir.path().join("app");
    fs::create_dir(&app).unwrap();
    let foreign = r#"{"name":"my web app","nodes":[{"path":"notes.md"}]}"#;
    fs::write(app.join("manifest.json"), foreign).unwrap();
    fs::write(app.join("notes.md"), "my notes").unwrap();
    let err = write_dir(&app, &rendered).unwrap_err();
    assert!(matches!(err, WriteError::NotContent(_)), "{err}");
    assert_eq!(
        fs::read_to_string(app.join("notes.md")).unwrap(),
        "my notes"
    );
    assert_eq!(
        fs::read_to_string(app.join("manifest.json")).unwrap(),
        foreign
    );

    // A new folder is written; a file added by hand survives rebuilds.
    let out = dir.path().join("content");
    let first = write_dir(&out, &rendered).unwrap();
    assert_eq!(first.written, rendered.files.len());
    fs::write(out.join("mine.md"), "kept").unwrap();
    // A file the previous build listed but this one does not make goes.
    let manifest_path = out.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&manifest_path).unwrap()).unwrap();
    let nodes = manifest["nodes"].as_array_mut().unwrap();
    let mut old = nodes[0].clone();
    old["path"] = "A99.md".into();
    nodes.push(old);
    fs::write(&manifest_path, manifest.to_string()).unwrap();
    fs::write(out.join("A99.md"), "old chapter").unwrap();
    let again = write_dir(&out, &rendered).unwrap();
    assert_eq!(
        (again.written, again.removed),
        (1, 1),
        "manifest rewritten, A99 removed"
    );
    assert!(!out.join("A99.md").exists());
    assert_eq!(fs::read_to_string(out.join("mine.md")).unwrap(), "kept");
}
