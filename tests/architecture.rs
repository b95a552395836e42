//! Architecture checks, read from the source: the file import graph of `src/` has no cycle,
//! no file names a layer it must not (the [`FORBIDDEN`] table), and no function is longer
//! than [`MAX_FN_LINES`] lines outside tests.
//!
//! How the graph is drawn. Every `.rs` file reachable from `src/lib.rs` (and `src/main.rs`,
//! whose `isnad::` is the library) through `mod` declarations is a node. `mod` declarations
//! only place files in the module tree; they are not edges. A file has an edge to another
//! file when it names something there: a `use` (including `pub use` re-exports and globs),
//! or a path in code, in a type or in a macro's tokens, starting with `crate::`, `super::`,
//! `self::`, a child module or a name brought in by a `use`. A path is mapped to the file
//! that defines the longest module prefix of it: `crate::store::Span` names `store`, so
//! `src/store/mod.rs` (even if `Span` is only re-exported there), and
//! `crate::store::gold::GoldRow` names `src/store/gold.rs`. Test code (`#[cfg(test)]` items
//! and files declared under `#[cfg(test)]`) counts like any other code.
//!
//! `cargo test --test architecture -- --ignored --nocapture` prints every cycle (the files of
//! each strongly connected component, and the edges inside it with a line that makes each),
//! every forbidden edge and every long function.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use proc_macro2::{TokenStream, TokenTree};
use syn::spanned::Spanned;
use syn::visit::Visit;

/// Longest function body allowed outside tests, in lines (from `fn` to the closing brace).
const MAX_FN_LINES: usize = 150;

/// One row of the layer table: files under one of `from` (but not under one of
/// `unless_from`) must not name any of `to`, except `except_to`. Each entry is a folder or
/// file of `src/` (`"src/store"` means `src/store.rs` and everything under `src/store/`), or
/// for `to` an external crate written `"extern:name"` (`"extern:*"`: any).
struct Rule {
    from: &'static [&'static str],
    unless_from: &'static [&'static str],
    to: &'static [&'static str],
    except_to: &'static [&'static str],
    why: &'static str,
}

const PURE_FORBIDDEN: &[&str] = &[
    "src/store",
    "src/model",
    "src/app",
    "src/ui",
    "src/cli",
    "src/importer",
    "src/export",
    "extern:rusqlite",
];

/// The layer table. Top to bottom: cli / app+ui → model → store interface → pure logic
/// (corpus, text, agreement, adjudication, the claims record format) and domain types.
const FORBIDDEN: &[Rule] = &[
    Rule {
        from: &["src/domain"],
        unless_from: &[],
        to: &["src", "extern:*"],
        except_to: &[
            "src/domain",
            "extern:std",
            "extern:core",
            "extern:alloc",
            "extern:serde",
            // A document's metadata is a JSON object, kept as serde_json's map.
            "extern:serde_json",
        ],
        why: "domain types are the ground floor: std, serde and serde_json (data) only",
    },
    Rule {
        from: &[
            "src/corpus",
            "src/text",
            "src/agreement",
            "src/adjudication",
            "src/claims_record",
            "src/data_files.rs",
            "src/propose",
            "src/suggest.rs",
            "src/learn",
            "src/insight",
        ],
        unless_from: &[],
        to: PURE_FORBIDDEN,
        except_to: &[],
        why: "pure logic names no store, model, importer, export or user interface",
    },
    Rule {
        from: &["src/ui"],
        unless_from: &[],
        to: &["src/store", "src/cli", "src/app", "extern:rusqlite"],
        except_to: &["src/app/state.rs"],
        why: "views read state and push actions: no store, and ui → app only through the state file",
    },
    Rule {
        from: &["src/store"],
        unless_from: &[],
        to: &[
            "src/model",
            "src/app",
            "src/ui",
            "src/cli",
            "src/export",
            "src/importer",
        ],
        except_to: &[],
        why: "the store knows nothing above it",
    },
    Rule {
        from: &["src/model", "src/importer", "src/export"],
        unless_from: &[],
        to: &["src/app", "src/ui", "src/cli"],
        except_to: &[],
        why: "the model, the importer and export know nothing of the user interface or the command line",
    },
    Rule {
        from: &["src"],
        unless_from: &["src/store"],
        to: &["extern:rusqlite"],
        except_to: &[],
        why: "only the store contains SQL",
    },
    Rule {
        from: &["src"],
        unless_from: &[
            "src/app",
            "src/ui",
            "src/text/widget.rs",
            "src/text/fonts.rs",
            "src/text/kittest_tests.rs",
        ],
        to: EGUI_EXTERN,
        except_to: &[],
        why: "nothing below app/ui names egui (but the text widget and its fonts)",
    },
];

const EGUI_EXTERN: &[&str] = &[
    "extern:egui",
    "extern:eframe",
    "extern:egui_extras",
    "extern:egui_plot",
    "extern:egui_kittest",
    "extern:epaint",
    "extern:emath",
    "extern:ecolor",
];

// ---------------------------------------------------------------------------------------
// Loading the module tree.

/// A module path below the crate root, e.g. `["store", "gold"]`; the root is `[]`.
type ModPath = Vec<String>;

struct SourceFile {
    /// `src/store/gold.rs`.
    path: String,
    ast: syn::File,
    /// The module the file is; `crate_root` tells which crate's.
    module: ModPath,
    /// Declared under `#[cfg(test)]` (itself or an ancestor).
    test_only: bool,
    /// Index of the crate: 0 the library, 1 the binary.
    krate: usize,
}

struct Crate {
    files: Vec<SourceFile>,
    /// (crate index, module path) → index of the file that defines the module.
    modules: BTreeMap<(usize, ModPath), usize>,
    errors: Vec<String>,
}

/// Reads `path` relative to the package (`src/lib.rs`).
type Reader<'a> = &'a dyn Fn(&str) -> Option<String>;

impl Crate {
    /// Loads the library from `src/lib.rs` and, if there, the binary from `src/main.rs`.
    fn load(read: Reader<'_>) -> Crate {
        let mut krate = Crate {
            files: Vec::new(),
            modules: BTreeMap::new(),
            errors: Vec::new(),
        };
        krate.load_file(read, "src/lib.rs", "src", Vec::new(), false, 0);
        if read("src/main.rs").is_some() {
            krate.load_file(read, "src/main.rs", "src", Vec::new(), false, 1);
        }
        krate
    }

    /// `dir` is the folder the file's child modules live in.
    fn load_file(
        &mut self,
        read: Reader<'_>,
        path: &str,
        dir: &str,
        module: ModPath,
        test_only: bool,
        krate: usize,
    ) {
        let Some(text) = read(path) else {
            self.errors.push(format!("cannot read {path}"));
            return;
        };
        let ast = match syn::parse_file(&text) {
            Ok(ast) => ast,
            Err(e) => {
                self.errors.push(format!("cannot parse {path}: {e}"));
                return;
            }
        };
        let index = self.files.len();
        self.modules.insert((krate, module.clone()), index);
        let items = ast.items.clone();
        self.files.push(SourceFile {
            path: path.to_owned(),
            ast,
            module: module.clone(),
            test_only,
            krate,
        });
        self.load_items(read, &items, index, dir, &module, test_only, krate);
    }

    #[allow(
        clippy::too_many_arguments,
        reason = "a recursive walk carrying its context"
    )]
    fn load_items(
        &mut self,
        read: Reader<'_>,
        items: &[syn::Item],
        file: usize,
        dir: &str,
        module: &ModPath,
        test_only: bool,
        krate: usize,
    ) {
        for item in items {
            let syn::Item::Mod(m) = item else { continue };
            let name = m.ident.to_string();
            let mut child = module.clone();
            child.push(name.clone());
            let child_test = test_only || is_test_attrs(&m.attrs);
            let child_dir = format!("{dir}/{name}");
            match &m.content {
                Some((_, inner)) => {
                    self.modules.insert((krate, child.clone()), file);
                    self.load_items(read, inner, file, &child_dir, &child, child_test, krate);
                }
                None => {
                    let explicit = path_attr(&m.attrs).map(|p| format!("{dir}/{p}"));
                    let flat = format!("{dir}/{name}.rs");
                    let nested = format!("{dir}/{name}/mod.rs");
                    let candidates = match &explicit {
                        Some(p) => vec![p.clone()],
                        None => vec![flat, nested.clone()],
                    };
                    let Some(found) = candidates.iter().find(|p| read(p).is_some()) else {
                        self.errors
                            .push(format!("module {} has no file", child.join("::")));
                        continue;
                    };
                    let found = found.clone();
                    self.load_file(read, &found, &child_dir, child, child_test, krate);
                }
            }
        }
    }

    /// The file defining `module` (of crate `krate`) or the longest prefix of it that is a
    /// module.
    fn file_of(&self, krate: usize, path: &[String]) -> Option<usize> {
        (0..=path.len())
            .rev()
            .find_map(|n| self.modules.get(&(krate, path[..n].to_vec())).copied())
    }

    fn is_module(&self, krate: usize, path: &[String]) -> bool {
        self.modules.contains_key(&(krate, path.to_vec()))
    }
}

fn path_attr(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| match &a.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

/// `#[cfg(test)]`, `#[cfg(all(test, …))]` or `#[test]`.
fn is_test_attrs(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        if a.path().is_ident("test") {
            return true;
        }
        if !a.path().is_ident("cfg") {
            return false;
        }
        let syn::Meta::List(list) = &a.meta else {
            return false;
        };
        cfg_implies_test(&list.tokens)
    })
}

fn cfg_implies_test(tokens: &TokenStream) -> bool {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    match trees.as_slice() {
        [TokenTree::Ident(i)] => i == "test",
        [TokenTree::Ident(i), TokenTree::Group(g)] if i == "all" => {
            // all(a, b, …): test if any conjunct implies test.
            split_commas(g.stream()).iter().any(cfg_implies_test)
        }
        _ => false,
    }
}

fn split_commas(tokens: TokenStream) -> Vec<TokenStream> {
    let mut parts = vec![TokenStream::new()];
    for tt in tokens {
        match &tt {
            TokenTree::Punct(p) if p.as_char() == ',' => parts.push(TokenStream::new()),
            _ => {
                if let Some(last) = parts.last_mut() {
                    last.extend([tt]);
                }
            }
        }
    }
    parts
}

// ---------------------------------------------------------------------------------------
// References: what each file names.

/// Where a path points once resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
    /// An absolute path in crate `usize` (its module prefix picks the file).
    Crate(usize, ModPath),
    /// A path into an external crate, by the crate's name.
    Extern(String),
}

/// One name written in a file.
#[derive(Clone, Debug)]
struct Reference {
    /// The module (of the file's crate) the path is written in.
    module: ModPath,
    segments: Vec<String>,
    line: usize,
    test: bool,
    /// From a `use` declaration (resolved from the module's scope like a path).
    is_use: bool,
}

/// One `use` binding: `name` stands for `segments` in `module`.
#[derive(Clone, Debug)]
struct Binding {
    module: ModPath,
    name: String,
    segments: Vec<String>,
}

struct Collector {
    module: ModPath,
    test_depth: usize,
    refs: Vec<Reference>,
    bindings: Vec<Binding>,
    /// `use a::b::*` in a module: (module, segments of `a::b`).
    globs: Vec<(ModPath, Vec<String>)>,
    long_fns: Vec<(String, usize, usize)>,
    file_is_test: bool,
}

impl Collector {
    fn in_test(&self) -> bool {
        self.test_depth > 0 || self.file_is_test
    }

    fn push_ref(&mut self, segments: Vec<String>, line: usize, is_use: bool) {
        if segments.is_empty() {
            return;
        }
        self.refs.push(Reference {
            module: self.module.clone(),
            segments,
            line,
            test: self.in_test(),
            is_use,
        });
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let name = n.ident.to_string();
                let line = n.ident.span().start().line;
                self.use_name(prefix, name.clone(), name, line);
            }
            syn::UseTree::Rename(r) => {
                let line = r.ident.span().start().line;
                self.use_name(prefix, r.ident.to_string(), r.rename.to_string(), line);
            }
            syn::UseTree::Glob(g) => {
                let line = g.star_token.span().start().line;
                self.globs.push((self.module.clone(), prefix.clone()));
                self.push_ref(prefix.clone(), line, true);
            }
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(prefix, t);
                }
            }
        }
    }

    fn use_name(&mut self, prefix: &[String], ident: String, name: String, line: usize) {
        let mut segments = prefix.to_vec();
        if ident != "self" {
            segments.push(ident);
        }
        let name = if name == "self" {
            segments.last().cloned().unwrap_or_default()
        } else {
            name
        };
        if name != "_" {
            self.bindings.push(Binding {
                module: self.module.clone(),
                name,
                segments: segments.clone(),
            });
        }
        self.push_ref(segments, line, true);
    }

    fn check_length(&mut self, name: String, attrs: &[syn::Attribute], start: usize, end: usize) {
        if self.in_test() || is_test_attrs(attrs) {
            return;
        }
        let lines = end + 1 - start;
        if lines > MAX_FN_LINES {
            self.long_fns.push((name, start, lines));
        }
    }

    /// Paths inside a macro's tokens: every `a::b::c` run of identifiers.
    fn macro_tokens(&mut self, tokens: TokenStream) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < trees.len() {
            match &trees[i] {
                TokenTree::Group(g) => {
                    self.macro_tokens(g.stream());
                    i += 1;
                }
                TokenTree::Ident(first) => {
                    let line = first.span().start().line;
                    let mut segments = vec![first.to_string()];
                    let mut j = i + 1;
                    while j + 2 < trees.len() && is_path_sep(&trees, j) {
                        match &trees[j + 2] {
                            TokenTree::Ident(next) => {
                                segments.push(next.to_string());
                                j += 3;
                            }
                            _ => break,
                        }
                    }
                    if segments.len() > 1 {
                        self.push_ref(segments, line, false);
                    }
                    i = j.max(i + 1);
                }
                _ => i += 1,
            }
        }
    }
}

impl Collector {
    /// `<T as a::Trait>::item`: `T` and `a::Trait` are names, `item` is not a path of its
    /// own (`<[u8]>::to_vec` names no crate `to_vec`).
    fn qualified_path(&mut self, qself: Option<&syn::QSelf>, path: &syn::Path) {
        let Some(q) = qself else {
            self.visit_path(path);
            return;
        };
        self.visit_type(&q.ty);
        let segments: Vec<String> = path
            .segments
            .iter()
            .take(q.position)
            .map(|s| s.ident.to_string())
            .collect();
        if segments.len() > 1 {
            self.push_ref(segments, path.span().start().line, false);
        }
        for segment in &path.segments {
            self.visit_path_arguments(&segment.arguments);
        }
    }
}

/// `trees[j]` and `trees[j + 1]` are `::`.
fn is_path_sep(trees: &[TokenTree], j: usize) -> bool {
    matches!(
        (&trees[j], &trees[j + 1]),
        (TokenTree::Punct(a), TokenTree::Punct(b))
            if a.as_char() == ':' && b.as_char() == ':'
    )
}

impl<'ast> Visit<'ast> for Collector {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        let test = is_test_attrs(&m.attrs);
        if let Some((_, items)) = &m.content {
            self.module.push(m.ident.to_string());
            self.test_depth += usize::from(test);
            for item in items {
                self.visit_item(item);
            }
            self.test_depth -= usize::from(test);
            self.module.pop();
        }
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        let test = is_test_attrs(&u.attrs);
        self.test_depth += usize::from(test);
        let mut prefix = Vec::new();
        if u.leading_colon.is_some() {
            prefix.push("::".to_owned());
        }
        self.use_tree(&mut prefix, &u.tree);
        self.test_depth -= usize::from(test);
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        let mut segments: Vec<String> = Vec::new();
        if p.leading_colon.is_some() {
            segments.push("::".to_owned());
        }
        segments.extend(p.segments.iter().map(|s| s.ident.to_string()));
        if segments.len() > 1 {
            self.push_ref(segments, p.span().start().line, false);
        }
        syn::visit::visit_path(self, p);
    }

    fn visit_expr_path(&mut self, e: &'ast syn::ExprPath) {
        self.qualified_path(e.qself.as_ref(), &e.path);
    }

    fn visit_type_path(&mut self, t: &'ast syn::TypePath) {
        self.qualified_path(t.qself.as_ref(), &t.path);
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        self.visit_path(&m.path);
        self.macro_tokens(m.tokens.clone());
    }

    fn visit_attribute(&mut self, _: &'ast syn::Attribute) {
        // `#[derive(serde::Serialize)]`-style paths are names too, but attributes are
        // mostly lints and docs; derive paths are external crates already used elsewhere.
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.test_depth += usize::from(is_test_attrs(&f.attrs));
        let start = f.sig.fn_token.span.start().line;
        let end = f.block.brace_token.span.close().end().line;
        self.check_length(f.sig.ident.to_string(), &f.attrs, start, end);
        syn::visit::visit_item_fn(self, f);
        self.test_depth -= usize::from(is_test_attrs(&f.attrs));
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.test_depth += usize::from(is_test_attrs(&f.attrs));
        let start = f.sig.fn_token.span.start().line;
        let end = f.block.brace_token.span.close().end().line;
        self.check_length(f.sig.ident.to_string(), &f.attrs, start, end);
        syn::visit::visit_impl_item_fn(self, f);
        self.test_depth -= usize::from(is_test_attrs(&f.attrs));
    }

    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        if let Some(block) = &f.default {
            let start = f.sig.fn_token.span.start().line;
            let end = block.brace_token.span.close().end().line;
            self.check_length(f.sig.ident.to_string(), &f.attrs, start, end);
        }
        syn::visit::visit_trait_item_fn(self, f);
    }

    fn visit_item(&mut self, i: &'ast syn::Item) {
        let attrs: &[syn::Attribute] = match i {
            syn::Item::Impl(x) => &x.attrs,
            syn::Item::Const(x) => &x.attrs,
            syn::Item::Static(x) => &x.attrs,
            syn::Item::Struct(x) => &x.attrs,
            syn::Item::Enum(x) => &x.attrs,
            syn::Item::Trait(x) => &x.attrs,
            syn::Item::Type(x) => &x.attrs,
            syn::Item::Macro(x) => &x.attrs,
            _ => &[],
        };
        let test = is_test_attrs(attrs);
        self.test_depth += usize::from(test);
        syn::visit::visit_item(self, i);
        self.test_depth -= usize::from(test);
    }
}

// ---------------------------------------------------------------------------------------
// Resolution.

/// An edge: `from` file names `to` (a file index or an external crate).
#[derive(Clone, Debug)]
struct Edge {
    from: usize,
    to: Target,
    /// File index of `to` when it is a crate path.
    to_file: Option<usize>,
    line: usize,
    test: bool,
    text: String,
}

struct Analysis {
    files: Vec<(String, bool)>,
    edges: Vec<Edge>,
    /// (file, fn name, first line, lines).
    long_fns: Vec<(String, String, usize, usize)>,
    errors: Vec<String>,
}

/// Scope of one crate's modules: `use` bindings and globs per module.
struct Scope {
    bindings: BTreeMap<(usize, ModPath), BTreeMap<String, Vec<String>>>,
    globs: BTreeMap<(usize, ModPath), Vec<Vec<String>>>,
}

const LIB_NAME: &str = "isnad";

/// Primitive types: `u8::MAX` names no crate.
const PRIMITIVES: &[&str] = &[
    "bool", "char", "str", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64",
    "i128", "isize", "f32", "f64",
];

impl Crate {
    fn analyse(&self) -> Analysis {
        let mut per_file = Vec::new();
        let mut scope = Scope {
            bindings: BTreeMap::new(),
            globs: BTreeMap::new(),
        };
        let mut long_fns = Vec::new();
        for (index, file) in self.files.iter().enumerate() {
            let mut c = Collector {
                module: file.module.clone(),
                test_depth: 0,
                refs: Vec::new(),
                bindings: Vec::new(),
                globs: Vec::new(),
                long_fns: Vec::new(),
                file_is_test: file.test_only,
            };
            // Only the file's own items: its child files are visited as their own files.
            for item in &file.ast.items {
                c.visit_item(item);
            }
            let name = Path::new(&file.path)
                .file_name()
                .and_then(|f| f.to_str())
                .unwrap_or_default();
            let test_file = file.test_only || name == "tests.rs" || name.ends_with("_tests.rs");
            if !test_file {
                for (f, start, lines) in c.long_fns.drain(..) {
                    long_fns.push((file.path.clone(), f, start, lines));
                }
            }
            for b in c.bindings.drain(..) {
                scope
                    .bindings
                    .entry((file.krate, b.module))
                    .or_default()
                    .insert(b.name, b.segments);
            }
            for (m, g) in c.globs.drain(..) {
                scope.globs.entry((file.krate, m)).or_default().push(g);
            }
            per_file.push((index, c.refs));
        }

        let mut edges = Vec::new();
        for (index, refs) in per_file {
            let krate = self.files[index].krate;
            for r in refs {
                let Some(target) = self.resolve(&scope, krate, &r.module, &r.segments, 0) else {
                    continue;
                };
                let to_file = match &target {
                    Target::Crate(k, path) => self.file_of(*k, path),
                    Target::Extern(_) => None,
                };
                if to_file == Some(index) {
                    continue;
                }
                edges.push(Edge {
                    from: index,
                    to: target,
                    to_file,
                    line: r.line,
                    test: r.test,
                    text: format!(
                        "{}{}",
                        if r.is_use { "use " } else { "" },
                        r.segments.join("::")
                    ),
                });
            }
        }
        Analysis {
            files: self
                .files
                .iter()
                .map(|f| (f.path.clone(), f.test_only))
                .collect(),
            edges,
            long_fns,
            errors: self.errors.clone(),
        }
    }

    /// Resolves `segments` written in `module` of crate `krate`. `None`: a local name (a
    /// variable, a type parameter, `Self::…`, an item of the same module) or unknown.
    fn resolve(
        &self,
        scope: &Scope,
        krate: usize,
        module: &ModPath,
        segments: &[String],
        depth: usize,
    ) -> Option<Target> {
        if depth > 8 || segments.is_empty() {
            return None;
        }
        let first = segments[0].as_str();
        let rest = &segments[1..];
        match first {
            "::" => return rest.first().map(|c| Target::Extern(c.clone())),
            "crate" => return Some(Target::Crate(krate, rest.to_vec())),
            "self" => {
                let mut p = module.clone();
                p.extend_from_slice(rest);
                return Some(Target::Crate(krate, p));
            }
            "super" => {
                let mut p = module.clone();
                let mut rest = segments;
                while rest.first().map(String::as_str) == Some("super") {
                    p.pop()?;
                    rest = &rest[1..];
                }
                p.extend_from_slice(rest);
                return Some(Target::Crate(krate, p));
            }
            "Self" => return None,
            p if PRIMITIVES.contains(&p) => return None,
            _ => {}
        }
        if let Some(found) = self.resolve_name(scope, krate, module, segments, depth) {
            return Some(found);
        }
        // The binary names the library by its crate name.
        if krate == 1 && first == LIB_NAME {
            return Some(Target::Crate(0, rest.to_vec()));
        }
        // An external crate: a lower-case name with a path after it, or in a `use`.
        if first.chars().next().is_some_and(|c| c.is_ascii_lowercase()) && !rest.is_empty() {
            return Some(Target::Extern(first.to_owned()));
        }
        None
    }

    /// Resolves a path whose first segment is a name in `module`'s scope: a child module,
    /// a name bound by a `use`, or a name a glob import brings in (looked up the same way in
    /// the glob's module, so `use super::*; sibling::f()` and nested globs resolve).
    fn resolve_name(
        &self,
        scope: &Scope,
        krate: usize,
        module: &ModPath,
        segments: &[String],
        depth: usize,
    ) -> Option<Target> {
        if depth > 8 {
            return None;
        }
        let first = segments.first()?.as_str();
        let rest = &segments[1..];
        let mut child = module.clone();
        child.push(first.to_owned());
        if self.is_module(krate, &child) {
            child.extend_from_slice(rest);
            return Some(Target::Crate(krate, child));
        }
        if let Some(bound) = scope
            .bindings
            .get(&(krate, module.clone()))
            .and_then(|b| b.get(first))
            && (bound.first().map(String::as_str) != Some(first) || bound.len() > 1)
        {
            let mut full = bound.clone();
            full.extend_from_slice(rest);
            return self.resolve(scope, krate, module, &full, depth + 1);
        }
        for glob in scope.globs.get(&(krate, module.clone()))? {
            if let Some(Target::Crate(k, base)) =
                self.resolve(scope, krate, module, glob, depth + 1)
                && k == krate
                && self.is_module(k, &base)
                && let Some(found) = self.resolve_name(scope, k, &base, segments, depth + 1)
            {
                return Some(found);
            }
        }
        None
    }
}

// ---------------------------------------------------------------------------------------
// Checks.

/// Strongly connected components of the graph with more than one node (Tarjan), each
/// sorted, in order of their smallest node.
fn cycles(n: usize, edges: &[(usize, usize)]) -> Vec<Vec<usize>> {
    let mut adj = vec![Vec::new(); n];
    for &(a, b) in edges {
        if a != b {
            adj[a].push(b);
        }
    }
    for list in &mut adj {
        list.sort_unstable();
        list.dedup();
    }
    struct State<'a> {
        adj: &'a [Vec<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        out: Vec<Vec<usize>>,
    }
    fn strong(s: &mut State<'_>, v: usize) {
        s.index[v] = Some(s.next);
        s.low[v] = s.next;
        s.next += 1;
        s.stack.push(v);
        s.on_stack[v] = true;
        for i in 0..s.adj[v].len() {
            let w = s.adj[v][i];
            match s.index[w] {
                None => {
                    strong(s, w);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(iw) if s.on_stack[w] => s.low[v] = s.low[v].min(iw),
                Some(_) => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack[w] = false;
                component.push(w);
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort_unstable();
                s.out.push(component);
            }
        }
    }
    let mut s = State {
        adj: &adj,
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in 0..n {
        if s.index[v].is_none() {
            strong(&mut s, v);
        }
    }
    s.out.sort();
    s.out
}

/// `file` is `prefix` or under it (`src/store` matches `src/store.rs` and `src/store/…`).
fn under(file: &str, prefix: &str) -> bool {
    if prefix.ends_with(".rs") {
        return file == prefix;
    }
    file == format!("{prefix}.rs") || file.starts_with(&format!("{prefix}/"))
}

fn matches_target(pattern: &str, file: Option<&str>, target: &Target) -> bool {
    match (pattern.strip_prefix("extern:"), target, file) {
        (Some("*"), Target::Extern(_), _) => true,
        (Some(name), Target::Extern(c), _) => c == name,
        (None, Target::Crate(..), Some(f)) => under(f, pattern),
        _ => false,
    }
}

impl Analysis {
    fn file_edges(&self) -> Vec<(usize, usize)> {
        self.edges
            .iter()
            .filter_map(|e| e.to_file.map(|t| (e.from, t)))
            .collect()
    }

    fn cycles(&self) -> Vec<Vec<usize>> {
        cycles(self.files.len(), &self.file_edges())
    }

    fn cycle_report(&self) -> String {
        let mut out = String::new();
        for (n, component) in self.cycles().iter().enumerate() {
            let _ = writeln!(out, "cycle {} ({} files):", n + 1, component.len());
            for &f in component {
                let _ = writeln!(out, "  {}", self.files[f].0);
            }
            let _ = writeln!(out, "  edges inside it (first line naming each):");
            let mut seen = BTreeSet::new();
            for e in &self.edges {
                let Some(t) = e.to_file else { continue };
                if component.contains(&e.from) && component.contains(&t) && seen.insert((e.from, t))
                {
                    let _ = writeln!(
                        out,
                        "    {} -> {}  ({}:{}: {}{})",
                        self.files[e.from].0,
                        self.files[t].0,
                        self.files[e.from].0,
                        e.line,
                        e.text,
                        if e.test { " [test]" } else { "" }
                    );
                }
            }
        }
        out
    }

    /// Every forbidden edge, one line each, the first occurrence per (file, target, rule).
    fn forbidden(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        for e in &self.edges {
            let from = self.files[e.from].0.as_str();
            let to_file = e.to_file.map(|t| self.files[t].0.as_str());
            for (r, rule) in FORBIDDEN.iter().enumerate() {
                if !rule.from.iter().any(|p| under(from, p))
                    || rule.unless_from.iter().any(|p| under(from, p))
                {
                    continue;
                }
                let hit = rule.to.iter().any(|p| matches_target(p, to_file, &e.to))
                    && !rule
                        .except_to
                        .iter()
                        .any(|p| matches_target(p, to_file, &e.to));
                if !hit {
                    continue;
                }
                let target = match (&e.to, to_file) {
                    (_, Some(f)) => f.to_owned(),
                    (Target::Extern(c), None) => format!("extern crate {c}"),
                    (Target::Crate(..), None) => continue,
                };
                if seen.insert((e.from, target.clone(), r)) {
                    out.push(format!(
                        "{from} -> {target}  ({from}:{}: {}{}) — {}",
                        e.line,
                        e.text,
                        if e.test { " [test]" } else { "" },
                        rule.why
                    ));
                }
            }
        }
        out
    }

    fn long_functions(&self) -> Vec<String> {
        let mut list = self.long_fns.clone();
        list.sort_by(|a, b| b.3.cmp(&a.3).then_with(|| a.0.cmp(&b.0)));
        list.iter()
            .map(|(file, name, line, lines)| format!("{file}:{line}: fn {name}: {lines} lines"))
            .collect()
    }
}

fn read_package(path: &str) -> Option<String> {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).ok()
}

fn analyse_package() -> Analysis {
    let krate = Crate::load(&read_package);
    let analysis = krate.analyse();
    assert!(analysis.errors.is_empty(), "{:#?}", analysis.errors);
    assert!(
        analysis.files.len() > 20,
        "only {} files found from src/lib.rs",
        analysis.files.len()
    );
    analysis
}

// ---------------------------------------------------------------------------------------
// The repository-wide checks.

#[test]
fn no_import_cycles() {
    let analysis = analyse_package();
    let report = analysis.cycle_report();
    println!("== import cycles ==\n{report}");
    assert!(report.is_empty(), "import cycles between files:\n{report}");
}

#[test]
fn no_forbidden_layer_edges() {
    let analysis = analyse_package();
    let list = analysis.forbidden();
    println!("== forbidden edges ({}) ==", list.len());
    for line in &list {
        println!("{line}");
    }
    assert!(list.is_empty(), "forbidden edges:\n{}", list.join("\n"));
}

#[test]
fn no_long_functions() {
    let analysis = analyse_package();
    let list = analysis.long_functions();
    println!("== functions over {MAX_FN_LINES} lines ({}) ==", list.len());
    for line in &list {
        println!("{line}");
    }
    assert!(list.is_empty(), "long functions:\n{}", list.join("\n"));
}

/// The checker sees the real package: it finds the files, follows `use` and inline paths,
/// and its graph has edges the layers are made of.
#[test]
fn the_package_graph_is_read() {
    let analysis = analyse_package();
    let name = |i: usize| analysis.files[i].0.as_str();
    let has = |from: &str, to: &str| {
        analysis
            .edges
            .iter()
            .any(|e| name(e.from) == from && e.to_file.map(name) == Some(to))
    };
    assert!(has("src/main.rs", "src/cli/mod.rs"), "isnad::cli::run()");
    assert!(analysis.files.iter().any(|f| f.0 == "src/text/layout.rs"));
    assert!(
        analysis
            .edges
            .iter()
            .any(|e| name(e.from).starts_with("src/text/")
                && e.to_file.map(name) == Some("src/text/layout.rs")),
        "text files use the layout"
    );
}

// ---------------------------------------------------------------------------------------
// The checker checked, on tiny synthetic crates.

fn synthetic(files: &[(&str, &str)]) -> Analysis {
    let map: BTreeMap<String, String> = files
        .iter()
        .map(|(p, s)| ((*p).to_owned(), (*s).to_owned()))
        .collect();
    let read = move |p: &str| map.get(p).cloned();
    let krate = Crate::load(&read);
    let analysis = krate.analyse();
    assert!(analysis.errors.is_empty(), "{:#?}", analysis.errors);
    analysis
}

fn cycle_files(a: &Analysis) -> Vec<Vec<String>> {
    a.cycles()
        .iter()
        .map(|c| c.iter().map(|&f| a.files[f].0.clone()).collect())
        .collect()
}

#[test]
fn tarjan_finds_cycles_and_passes_a_dag() {
    // 0 → 1 → 2 → 0, 3 → 4 → 3, 5 → 0, 6 alone.
    let found = cycles(7, &[(0, 1), (1, 2), (2, 0), (3, 4), (4, 3), (5, 0)]);
    assert_eq!(found, vec![vec![0, 1, 2], vec![3, 4]]);
    // A diamond and a chain: no cycle.
    assert!(cycles(5, &[(0, 1), (0, 2), (1, 3), (2, 3), (3, 4)]).is_empty());
    // A self-loop is no cycle between files.
    assert!(cycles(2, &[(0, 0), (0, 1)]).is_empty());
}

const LIB: &str = "mod a; mod b; pub mod c; mod store;";

#[test]
fn a_cycle_through_use_and_inline_paths_is_found() {
    let a = synthetic(&[
        ("src/lib.rs", LIB),
        ("src/a.rs", "use crate::b::X; pub struct Y;"),
        // An inline path in code, inside a macro.
        (
            "src/b.rs",
            "pub struct X; fn f() { println!(\"{:?}\", crate::a::Y); }",
        ),
        ("src/c/mod.rs", "mod d; pub use d::Z;"),
        ("src/c/d.rs", "pub struct Z;"),
        ("src/store.rs", ""),
    ]);
    assert_eq!(cycle_files(&a), vec![vec!["src/a.rs", "src/b.rs"]]);
    let report = a.cycle_report();
    assert!(
        report.contains("src/b.rs -> src/a.rs  (src/b.rs:1: crate::a::Y)"),
        "{report}"
    );
}

#[test]
fn a_clean_graph_passes() {
    let a = synthetic(&[
        ("src/lib.rs", LIB),
        (
            "src/a.rs",
            "use crate::b::X; use crate::c::Z; pub struct Y(X, Z);",
        ),
        ("src/b.rs", "pub struct X;"),
        ("src/c/mod.rs", "mod d; pub use d::Z;"),
        (
            "src/c/d.rs",
            "pub struct Z; #[cfg(test)] mod tests { use super::*; }",
        ),
        ("src/store.rs", ""),
    ]);
    assert!(a.cycles().is_empty(), "{}", a.cycle_report());
    assert!(a.forbidden().is_empty(), "{:?}", a.forbidden());
    // The edges are there: a names b and c (c/mod.rs, where Z is visible), c names c/d.
    let names: BTreeSet<(String, String)> = a
        .edges
        .iter()
        .filter_map(|e| {
            e.to_file
                .map(|t| (a.files[e.from].0.clone(), a.files[t].0.clone()))
        })
        .collect();
    let expected: BTreeSet<(String, String)> = [
        ("src/a.rs", "src/b.rs"),
        ("src/a.rs", "src/c/mod.rs"),
        ("src/c/mod.rs", "src/c/d.rs"),
    ]
    .iter()
    .map(|(x, y)| ((*x).to_owned(), (*y).to_owned()))
    .collect();
    assert_eq!(names, expected);
}

#[test]
fn super_self_and_use_bindings_resolve_to_files() {
    let a = synthetic(&[
        ("src/lib.rs", "pub mod m; pub mod n;"),
        ("src/m/mod.rs", "pub mod x; pub mod y; pub struct E;"),
        // super:: from a child; a `use` of a module, then a path through the binding.
        (
            "src/m/x.rs",
            "use super::E; use crate::n; fn f() -> n::deep::D { todo!() }",
        ),
        (
            "src/m/y.rs",
            "use self::inner::I; mod inner { pub struct I; } fn g(_: super::x::Q) {}",
        ),
        ("src/n/mod.rs", "pub mod deep; pub mod other;"),
        // Nested globs: `other` is found through the test module's glob, then deep's.
        (
            "src/n/deep.rs",
            "use super::*; pub struct D; #[cfg(test)] mod tests { use super::*; fn t() { other::o(); } }",
        ),
        ("src/n/other.rs", "pub fn o() {}"),
    ]);
    let edges: BTreeSet<(String, String)> = a
        .edges
        .iter()
        .filter_map(|e| {
            e.to_file
                .map(|t| (a.files[e.from].0.clone(), a.files[t].0.clone()))
        })
        .collect();
    for (x, y) in [
        ("src/m/x.rs", "src/m/mod.rs"),
        ("src/m/x.rs", "src/n/mod.rs"),
        ("src/m/x.rs", "src/n/deep.rs"),
        ("src/m/y.rs", "src/m/x.rs"),
        ("src/n/deep.rs", "src/n/other.rs"),
        ("src/n/deep.rs", "src/n/mod.rs"),
    ] {
        assert!(
            edges.contains(&(x.to_owned(), y.to_owned())),
            "{x} -> {y} in {edges:?}"
        );
    }
    // `self::inner` is an inline module of y.rs itself: no edge.
    assert!(
        !edges
            .iter()
            .any(|(x, y)| x == "src/m/y.rs" && y == "src/m/y.rs")
    );
}

#[test]
fn forbidden_edges_and_long_functions_are_reported() {
    let body = "    let _x = 1;\n".repeat(MAX_FN_LINES);
    let long = format!(
        "pub fn long() {{\n{body}}}\n#[cfg(test)]\nmod tests {{ fn long_test() {{\n{body}}} }}\n"
    );
    let a = synthetic(&[
        ("src/lib.rs", "pub mod store; pub mod ui; pub mod text;"),
        ("src/store/mod.rs", "pub struct S;"),
        ("src/ui/mod.rs", "use crate::store::S; fn f(_: S) {}"),
        ("src/text/mod.rs", &format!("use egui::Ui;\n{long}")),
    ]);
    let forbidden = a.forbidden();
    assert_eq!(forbidden.len(), 2, "{forbidden:#?}");
    assert!(
        forbidden[0].starts_with(
            "src/ui/mod.rs -> src/store/mod.rs  (src/ui/mod.rs:1: use crate::store::S)"
        ),
        "{forbidden:#?}"
    );
    assert!(
        forbidden[1].starts_with("src/text/mod.rs -> extern crate egui"),
        "{forbidden:#?}"
    );
    let long = a.long_functions();
    assert_eq!(
        long,
        vec![format!(
            "src/text/mod.rs:2: fn long: {} lines",
            MAX_FN_LINES + 2
        )]
    );
}

#[test]
fn cfg_test_is_recognised() {
    let attrs =
        |s: &str| syn::parse_str::<syn::ItemFn>(&format!("{s} fn f() {{}}")).map(|f| f.attrs);
    for (src, test) in [
        ("#[cfg(test)]", true),
        ("#[test]", true),
        ("#[cfg(all(test, unix))]", true),
        ("#[cfg(not(test))]", false),
        ("#[cfg(any(test, unix))]", false),
        ("#[inline]", false),
    ] {
        let attrs = attrs(src).expect("parses");
        assert_eq!(is_test_attrs(&attrs), test, "{src}");
    }
}
