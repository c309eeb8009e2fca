//! The loaded manual as the commands and the reader use it: every node's
//! metadata and markdown, lookups by id, and the citations between nodes.
//!
//! A library comes either from source text (parse → resolve citations →
//! render) or from a content folder written by `setproc build`
//! ([`Library::load`]). Both give the same value for the same build, which is
//! what the content-freshness test checks.

use crate::text::hash::FxHashMap as HashMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::cite::{self, Citation};
use crate::manual::document::Document;
use crate::manual::edition::Edition;
use crate::manual::ids::{NodeId, SectionId};
use crate::manual::parse::{self, ParseError};
use crate::store::content::{self, FNV_OFFSET, Meta, Rendered};
use crate::terms::Vocabulary;

/// The manual's text as shipped in this binary, so setproc works from any
/// folder after `cargo install`.
pub const EMBEDDED_SOURCE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/source/set-procedures-june-2025.txt"
));
/// The name the embedded source goes by in messages and the manifest.
pub const EMBEDDED_NAME: &str = "source/set-procedures-june-2025.txt";

/// How often [`Library::load`] reads a folder whose files do not match its
/// manifest before giving up (waiting 50, 100, … ms between).
const LOAD_ATTEMPTS: u64 = 6;

#[derive(Debug, Clone)]
pub struct Library {
    pub metas: Vec<Meta>,
    /// Markdown body of each node (same order as `metas`), no front matter.
    pub bodies: Vec<String>,
    pub citations: Vec<Citation>,
    pub warnings: Vec<String>,
    pub source_name: String,
    /// Which edition this is: the title page's date and the text's hash.
    pub edition: Edition,
    /// Acronyms and old terms, for search: mined from `doc` when first
    /// needed (reading does not need them), or read from a manifest.
    vocabulary: OnceLock<Vocabulary>,
    doc: Option<Arc<Document>>,
    /// What citations resolve against, built on first need.
    targets: OnceLock<cite::Targets>,
    /// Hash of the rendered content, computed when first needed.
    content_hash: OnceLock<String>,
    by_id: HashMap<NodeId, usize>,
    para_node: HashMap<SectionId, usize>,
}

impl PartialEq for Library {
    fn eq(&self, other: &Library) -> bool {
        self.metas == other.metas
            && self.bodies == other.bodies
            && self.citations == other.citations
            && self.warnings == other.warnings
            && self.source_name == other.source_name
            && self.edition == other.edition
            && self.vocabulary() == other.vocabulary()
    }
}

impl Library {
    /// Parses source text and renders it.
    pub fn from_source(source: &str, source_name: &str) -> Result<Library, ParseError> {
        let doc = parse::parse(source)?;
        Ok(Library::from_document(doc, source_name).with_edition(Edition::of(source)))
    }

    /// This library, recorded as `edition` (a library made from a parsed
    /// document does not know the text it came from).
    pub fn with_edition(mut self, edition: Edition) -> Library {
        self.edition = edition;
        self
    }

    /// The manual embedded in the binary.
    pub fn embedded() -> Library {
        Library::from_source(EMBEDDED_SOURCE, EMBEDDED_NAME)
            .expect("the embedded manual parses (checked by the test suite)")
    }

    pub fn from_document(doc: Document, source_name: &str) -> Library {
        Library::from_shared(Arc::new(doc), source_name)
    }

    /// As [`Library::from_document`], for a document also used elsewhere
    /// meanwhile (`setproc build` indexes it on another thread).
    pub fn from_shared(doc: Arc<Document>, source_name: &str) -> Library {
        let metas = content::metas(&doc);
        // Built once: finding citations, linking them and later lookups
        // all resolve against the same targets.
        let targets = cite::Targets::from_document(&doc);
        let citations = cite::find_all_in(&targets, &doc);
        let links = cite::inline_links_in(&targets, &doc, &citations);
        let children = content::children_of(&metas);
        let bodies: Vec<String> = doc
            .nodes
            .iter()
            .enumerate()
            .map(|(i, node)| {
                let kids = children.get(&node.id).map(Vec::as_slice).unwrap_or(&[]);
                content::render(node, kids, &links[i])
            })
            .collect();
        let warnings = doc.warnings.iter().map(|w| w.to_string()).collect();
        Library::assemble(Parts {
            metas,
            bodies,
            citations,
            warnings,
            source_name: source_name.to_string(),
            edition: Edition::default(),
            vocabulary: None,
            doc: Some(doc),
            content_hash: None,
            targets: Some(targets),
        })
    }

    fn assemble(parts: Parts) -> Library {
        let by_id = parts
            .metas
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id, i))
            .collect();
        let mut para_node = HashMap::default();
        for (i, m) in parts.metas.iter().enumerate() {
            for p in &m.paragraphs {
                para_node.entry(*p).or_insert(i);
            }
        }
        let vocabulary = OnceLock::new();
        if let Some(v) = parts.vocabulary {
            let _ = vocabulary.set(v);
        }
        let content_hash = OnceLock::new();
        if let Some(h) = parts.content_hash {
            let _ = content_hash.set(h);
        }
        Library {
            metas: parts.metas,
            bodies: parts.bodies,
            citations: parts.citations,
            warnings: parts.warnings,
            source_name: parts.source_name,
            edition: parts.edition,
            vocabulary,
            doc: parts.doc,
            targets: parts.targets.map(OnceLock::from).unwrap_or_default(),
            content_hash,
            by_id,
            para_node,
        }
    }

    /// What a citation typed by a user resolves against: the same targets
    /// the build used (titles, sub-headings, paragraph text) when the
    /// manual was parsed here; from the metadata alone for a content folder.
    pub fn targets(&self) -> &cite::Targets {
        self.targets.get_or_init(|| match &self.doc {
            Some(doc) => cite::Targets::from_document(doc),
            None => cite::Targets::from_nodes(
                self.metas
                    .iter()
                    .map(|m| (m.id, m.title.as_str(), m.paragraphs.as_slice())),
            ),
        })
    }

    /// The manual's acronyms and old terms.
    pub fn vocabulary(&self) -> &Vocabulary {
        self.vocabulary.get_or_init(|| match &self.doc {
            Some(doc) => Vocabulary::from_document(doc),
            None => Vocabulary::default(),
        })
    }

    /// Hash of the rendered content (every node's front matter and body,
    /// the citations and the vocabulary); keys a content folder's index.
    pub fn content_hash(&self) -> &str {
        self.content_hash.get_or_init(|| {
            let mut h = FNV_OFFSET;
            for (m, b) in self.metas.iter().zip(&self.bodies) {
                h = content::fnv1a(content::front_matter(m).as_bytes(), h);
                h = content::fnv1a(b.as_bytes(), h);
            }
            for extra in [
                serde_json::to_string(&self.citations).unwrap_or_default(),
                serde_json::to_string(self.vocabulary()).unwrap_or_default(),
            ] {
                h = content::fnv1a(extra.as_bytes(), h);
            }
            format!("{h:016x}")
        })
    }

    /// Reads a content folder written by `setproc build`, and checks that
    /// its files are the ones its manifest describes (their hash is the
    /// manifest's): a folder caught while another process rebuilds it is
    /// read again, and one whose files were changed since is refused, so a
    /// mix of two builds never loads.
    pub fn load(dir: &Path) -> Result<Library, content::LoadError> {
        let mut attempts = 0;
        loop {
            let (manifest, bodies) = content::load_dir(dir)?;
            let expected = manifest.content_hash.clone();
            let lib = Library::from_manifest(manifest, bodies);
            if lib.content_hash() == expected {
                return Ok(lib);
            }
            attempts += 1;
            if attempts == LOAD_ATTEMPTS {
                return Err(content::LoadError::Mismatch(dir.to_path_buf()));
            }
            // A build is replacing the files: it takes well under a second.
            std::thread::sleep(std::time::Duration::from_millis(50 * attempts));
        }
    }

    /// A library from a manifest and the bodies of its nodes (in its
    /// order), whatever the manifest's own hash says: [`Library::content_hash`]
    /// is computed from what is given.
    pub fn from_manifest(manifest: content::Manifest, bodies: Vec<String>) -> Library {
        Library::assemble(Parts {
            metas: manifest.nodes,
            bodies,
            citations: manifest.citations,
            warnings: manifest.warnings,
            source_name: manifest.source,
            edition: manifest.edition,
            vocabulary: Some(manifest.vocabulary),
            doc: None,
            content_hash: None,
            targets: None,
        })
    }

    /// The content folder's files, manifest last.
    pub fn render_files(&self) -> Rendered {
        let mut files: Vec<(String, String)> = self
            .metas
            .iter()
            .zip(&self.bodies)
            .map(|(m, b)| (m.path.clone(), format!("{}{b}\n", content::front_matter(m))))
            .collect();
        files.push(("README.md".into(), content::readme(&self.metas)));
        // Borrowed, not cloned: the same JSON as a [`Manifest`].
        #[derive(serde::Serialize)]
        struct ManifestRef<'a> {
            schema: u32,
            content_hash: &'a str,
            source: &'a str,
            nodes: &'a [Meta],
            citations: &'a [crate::cite::Citation],
            vocabulary: &'a crate::terms::Vocabulary,
            warnings: &'a [String],
            edition: &'a Edition,
        }
        let manifest = ManifestRef {
            schema: content::MANIFEST_SCHEMA,
            content_hash: self.content_hash(),
            source: &self.source_name,
            nodes: &self.metas,
            citations: &self.citations,
            vocabulary: self.vocabulary(),
            warnings: &self.warnings,
            edition: &self.edition,
        };
        let json = serde_json::to_string_pretty(&manifest).expect("manifest serialises");
        files.push((content::MANIFEST.into(), json + "\n"));
        Rendered { files }
    }

    pub fn index_of(&self, id: NodeId) -> Option<usize> {
        self.by_id.get(&id).copied()
    }

    pub fn meta(&self, id: NodeId) -> Option<&Meta> {
        self.index_of(id).map(|i| &self.metas[i])
    }

    pub fn body(&self, id: NodeId) -> Option<&str> {
        self.index_of(id).map(|i| self.bodies[i].as_str())
    }

    /// Whether `node` is `ancestor` or lies below it in the contents tree.
    pub fn is_within(&self, node: NodeId, ancestor: NodeId) -> bool {
        let mut cur = Some(node);
        // Bounded: a hand-edited manifest could make parents loop.
        for _ in 0..=self.metas.len() {
            let Some(n) = cur else { break };
            if n == ancestor {
                return true;
            }
            cur = self.meta(n).and_then(|m| m.parent);
        }
        false
    }

    /// The node that holds numbered paragraph `id`.
    pub fn paragraph_node(&self, id: SectionId) -> Option<usize> {
        self.para_node.get(&id).copied()
    }

    /// The markdown of one numbered paragraph: from its anchor up to the
    /// next paragraph anchor or heading.
    pub fn paragraph_markdown(&self, id: SectionId) -> Option<&str> {
        let body = &self.bodies[self.paragraph_node(id)?];
        paragraph_slice(body, id)
    }

    /// All section-level ids (chapters and sections) in reading order.
    pub fn section_ids(&self) -> impl Iterator<Item = SectionId> + '_ {
        self.metas.iter().filter_map(|m| m.id.section())
    }

    /// All numbered paragraph ids in reading order.
    pub fn paragraph_ids(&self) -> impl Iterator<Item = SectionId> + '_ {
        self.metas.iter().flat_map(|m| m.paragraphs.iter().copied())
    }
}

/// What a library is made of, before its lookups are built.
struct Parts {
    metas: Vec<Meta>,
    bodies: Vec<String>,
    citations: Vec<Citation>,
    warnings: Vec<String>,
    source_name: String,
    edition: Edition,
    vocabulary: Option<Vocabulary>,
    doc: Option<Arc<Document>>,
    content_hash: Option<String>,
    targets: Option<cite::Targets>,
}

/// The slice of `body` that is paragraph `id`.
pub fn paragraph_slice(body: &str, id: SectionId) -> Option<&str> {
    let marker = format!("<a id=\"{}\"></a>", id.anchor());
    let start = body.find(&marker)?;
    let rest = &body[start + marker.len()..];
    let end = [rest.find("\n<a id=\""), rest.find("\n#")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(rest.len());
    Some(body[start..start + marker.len() + end].trim_end())
}
