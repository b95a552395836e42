//! The speaker → target graph of a stance matrix, written as GraphML (networkx
//! `read_graphml`, Gephi, yEd) or GEXF 1.3 (Gephi, networkx `read_gexf`): entities as nodes
//! (`label` = canonical name, `type` = entity kind), one directed edge per pair with its
//! claims per stance, `dominant` stance and `weight` = total.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use super::matrix::Matrix;

/// The graph file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    Graphml,
    Gexf,
}

/// Text safe inside an XML attribute or element.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot hold at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// The nodes of a matrix: every speaker and target, numbered in name order.
fn nodes(matrix: &Matrix) -> BTreeMap<&str, usize> {
    let mut names: Vec<&str> = matrix
        .rows
        .iter()
        .flat_map(|r| [r.speaker.as_str(), r.target.as_str()])
        .collect();
    names.sort_unstable();
    names.dedup();
    names.into_iter().enumerate().map(|(i, n)| (n, i)).collect()
}

/// Writes the graph; `kinds` gives each entity's kind by canonical name.
pub fn write(matrix: &Matrix, kinds: &HashMap<String, String>, format: GraphFormat) -> String {
    match format {
        GraphFormat::Graphml => graphml(matrix, kinds),
        GraphFormat::Gexf => gexf(matrix, kinds),
    }
}

fn graphml(matrix: &Matrix, kinds: &HashMap<String, String>) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n\
         \x20 <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n\
         \x20 <key id=\"type\" for=\"node\" attr.name=\"type\" attr.type=\"string\"/>\n",
    );
    for stance in &matrix.stances {
        let s = escape(stance);
        let _ = writeln!(
            out,
            "  <key id=\"s_{s}\" for=\"edge\" attr.name=\"{s}\" attr.type=\"int\"/>"
        );
    }
    out.push_str(
        "  <key id=\"dominant\" for=\"edge\" attr.name=\"dominant\" attr.type=\"string\"/>\n\
         \x20 <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"int\"/>\n\
         \x20 <graph id=\"stance\" edgedefault=\"directed\">\n",
    );
    let nodes = nodes(matrix);
    for (name, id) in &nodes {
        let kind = kinds.get(*name).map_or("", String::as_str);
        let _ = writeln!(
            out,
            "    <node id=\"n{id}\"><data key=\"label\">{}</data><data key=\"type\">{}</data></node>",
            escape(name),
            escape(kind)
        );
    }
    for row in &matrix.rows {
        let (from, to) = (nodes[row.speaker.as_str()], nodes[row.target.as_str()]);
        let _ = write!(out, "    <edge source=\"n{from}\" target=\"n{to}\">");
        for (stance, count) in matrix.stances.iter().zip(&row.counts) {
            let _ = write!(out, "<data key=\"s_{}\">{count}</data>", escape(stance));
        }
        let dominant = escape(matrix.dominant(row).unwrap_or(""));
        let _ = writeln!(
            out,
            "<data key=\"dominant\">{dominant}</data><data key=\"weight\">{}</data></edge>",
            row.total
        );
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}

fn gexf(matrix: &Matrix, kinds: &HashMap<String, String>) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">\n\
         \x20 <graph mode=\"static\" defaultedgetype=\"directed\">\n\
         \x20   <attributes class=\"node\">\n\
         \x20     <attribute id=\"type\" title=\"type\" type=\"string\"/>\n\
         \x20   </attributes>\n\
         \x20   <attributes class=\"edge\">\n",
    );
    for stance in &matrix.stances {
        let s = escape(stance);
        let _ = writeln!(
            out,
            "      <attribute id=\"s_{s}\" title=\"{s}\" type=\"integer\"/>"
        );
    }
    out.push_str(
        "      <attribute id=\"dominant\" title=\"dominant\" type=\"string\"/>\n    </attributes>\n    <nodes>\n",
    );
    let nodes = nodes(matrix);
    for (name, id) in &nodes {
        let kind = kinds.get(*name).map_or("", String::as_str);
        let _ = writeln!(
            out,
            "      <node id=\"n{id}\" label=\"{}\"><attvalues><attvalue for=\"type\" value=\"{}\"/></attvalues></node>",
            escape(name),
            escape(kind)
        );
    }
    out.push_str("    </nodes>\n    <edges>\n");
    for (index, row) in matrix.rows.iter().enumerate() {
        let (from, to) = (nodes[row.speaker.as_str()], nodes[row.target.as_str()]);
        let _ = write!(
            out,
            "      <edge id=\"e{index}\" source=\"n{from}\" target=\"n{to}\" weight=\"{}\"><attvalues>",
            row.total
        );
        for (stance, count) in matrix.stances.iter().zip(&row.counts) {
            let _ = write!(
                out,
                "<attvalue for=\"s_{}\" value=\"{count}\"/>",
                escape(stance)
            );
        }
        let dominant = escape(matrix.dominant(row).unwrap_or(""));
        let _ = writeln!(
            out,
            "<attvalue for=\"dominant\" value=\"{dominant}\"/></attvalues></edge>"
        );
    }
    out.push_str("    </edges>\n  </graph>\n</gexf>\n");
    out
}
