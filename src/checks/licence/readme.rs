//! Licence statements in a README.
//!
//! NHS repositories usually state their licences in the README ("the codebase is released
//! under the MIT Licence … the documentation is © Crown copyright and available under the
//! Open Government Licence v3.0"), often with badges and links, and sometimes paste the whole
//! licence under a `## Licence` heading. We read statements sentence by sentence, only where
//! they are about licensing (a licence section, or a sentence that mentions licences or
//! copyright), and give each licence the scope its sentence names. A pasted licence text is
//! identified in full; it is matched per section because askalono wipes a one-line paragraph
//! that mentions copyright, which is how READMEs often hold short licences.

use std::sync::LazyLock;

use regex::Regex;

use super::choice::choice_in;
use super::identify::{identify_text, is_data_licence, is_docs_licence};
use super::phrases::{Named, names_in};
use crate::model::facts::licence::{DeclaredIn, LicenceFact, Scope};

/// README statements about licensing.
pub fn from_readme(path: &str, text: &str) -> Vec<LicenceFact> {
    let plain = plain_lines(text);
    let badges = badge_lines(text);
    let sections = sections(&plain);
    let mut facts: Vec<LicenceFact> = Vec::new();

    for sec in &sections {
        let (start, end) = sec.body;
        let body_badges = badges.get(start..end).unwrap_or(&[]);
        for (line, sentence) in sentences(&plain[start..end], body_badges, start) {
            if !sec.licensing && !is_licensing_sentence(&sentence) {
                continue;
            }
            let names = names_in(&sentence);
            // A table row naming several licences lists choices ("| license | MIT,
            // BSD-3-Clause, none |" in a template's options), not a declaration.
            if sentence.starts_with('|') && names.len() > 1 {
                continue;
            }
            let first = names.first().map(|n| n.at);
            let mut mentions: Vec<(Named, Scope, usize)> = Vec::new();
            for named in names {
                if names_a_file(&sentence, named.at) {
                    continue;
                }
                let mut scope = scope_in(&sentence, named.at, &named.spdx, first == Some(named.at));
                // Under a data heading, an OGL or CC statement is about the data unless the
                // sentence names documentation.
                if sec.about_data
                    && is_docs_licence(&named.spdx)
                    && scope != Scope::Data
                    && !mentions_docs(&sentence)
                {
                    scope = Scope::Data;
                }
                let line = line_of_mention(&plain, line, &sentence[named.at..]);
                mentions.push((named, scope, line));
            }
            let fact = |spdx: String, line: usize, confidence: f32, scope: Scope| LicenceFact {
                spdx,
                path: path.to_owned(),
                line: Some(line + 1),
                confidence,
                scope,
                declared_in: DeclaredIn::Readme,
                closest: None,
                excerpt: Some(excerpt(&sentence)),
            };
            // "Either of the Apache License or the MIT license, at your option" is one
            // declaration, the choice, as metadata's `Apache-2.0 OR MIT` is.
            let code: Vec<(&str, usize)> = mentions
                .iter()
                .filter(|m| m.1 == Scope::Code)
                .map(|m| (m.0.spdx.as_str(), m.0.at))
                .collect();
            let least = mentions
                .iter()
                .filter(|m| m.1 == Scope::Code)
                .map(|m| m.0.confidence)
                .fold(1.0, f32::min);
            let mut choice = choice_in(&sentence, &code).map(|expression| (expression, least));
            let offered = choice.is_some();
            for (named, scope, line) in mentions {
                if offered && scope == Scope::Code {
                    // The choice stands where its first licence is named; the rest are in it.
                    if let Some((expression, least)) = choice.take() {
                        push(&mut facts, fact(expression, line, least, scope));
                    }
                    continue;
                }
                push(&mut facts, fact(named.spdx, line, named.confidence, scope));
            }
        }
        if sec.looks_like_licence_text {
            let raw: Vec<&str> = text.lines().collect();
            let body = raw[sec.body.0.min(raw.len())..sec.body.1.min(raw.len())].join("\n");
            for f in identify_text(&body).found {
                let scope = default_scope(&f.spdx);
                push(
                    &mut facts,
                    LicenceFact {
                        spdx: f.spdx,
                        path: path.to_owned(),
                        line: Some(sec.body.0 + f.line + 1),
                        confidence: f.score,
                        scope,
                        declared_in: DeclaredIn::Readme,
                        closest: None,
                        excerpt: f.excerpt,
                    },
                );
            }
        }
    }
    facts
}

/// Keep one fact per licence and scope, the most confident.
fn push(facts: &mut Vec<LicenceFact>, fact: LicenceFact) {
    match facts
        .iter_mut()
        .find(|f| f.spdx == fact.spdx && f.scope == fact.scope)
    {
        Some(existing) if fact.confidence > existing.confidence => *existing = fact,
        Some(_) => {}
        None => facts.push(fact),
    }
}

fn excerpt(s: &str) -> String {
    let t = s.trim();
    match t.char_indices().nth(160) {
        Some((i, _)) => format!("{}…", &t[..i]),
        None => t.to_owned(),
    }
}

/// README lines with markup reduced to text, keeping link targets (they name licences) and
/// line numbers.
fn plain_lines(text: &str) -> Vec<String> {
    struct Rx {
        comment: Regex,
        md_link: Regex,
        html_link: Regex,
        html_img: Regex,
        rst_link: Regex,
        tag: Regex,
        emphasis: Regex,
    }
    static RX: LazyLock<Rx> = LazyLock::new(|| Rx {
        comment: Regex::new(r"(?s)<!--.*?-->").expect("regex"),
        md_link: Regex::new(r"!?\[([^\]]*)\]\(([^)\s]*)[^)]*\)").expect("regex"),
        html_link: Regex::new(r#"(?i)<a\s[^>]*href\s*=\s*["']([^"']*)["'][^>]*>"#).expect("regex"),
        html_img: Regex::new(r#"(?i)<img\s[^>]*src\s*=\s*["']([^"']*)["'][^>]*>"#).expect("regex"),
        rst_link: Regex::new(r"`([^`<]*)<([^>`]+)>`_+").expect("regex"),
        tag: Regex::new(r"</?[A-Za-z][^>]*>").expect("regex"),
        emphasis: Regex::new(r"\*\*|__|`").expect("regex"),
    });
    let rx = &*RX;
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n");
    let text = rx.comment.replace_all(&text, |c: &regex::Captures<'_>| {
        "\n".repeat(c[0].matches('\n').count())
    });
    text.split('\n')
        .map(|line| {
            let mut s = line.to_owned();
            // Links nest in badges ([![alt](img)](target)), so apply until nothing changes.
            for _ in 0..3 {
                let next = rx.md_link.replace_all(&s, "$1 ($2)").into_owned();
                if next == s {
                    break;
                }
                s = next;
            }
            s = rx.html_link.replace_all(&s, " ($1) ").into_owned();
            s = rx.html_img.replace_all(&s, " ($1) ").into_owned();
            s = rx.rst_link.replace_all(&s, "$1 ($2)").into_owned();
            s = rx.tag.replace_all(&s, " ").into_owned();
            s = rx.emphasis.replace_all(&s, "").into_owned();
            s.replace("&copy;", "©").replace("&nbsp;", " ")
        })
        .collect()
}

struct Section {
    /// Lines [start, end) of the section's body (after its heading).
    body: (usize, usize),
    /// The heading names licensing, so every sentence counts.
    licensing: bool,
    looks_like_licence_text: bool,
    /// The heading is about data ("Users of the mortality dataset", "Data sources").
    about_data: bool,
}

fn sections(lines: &[String]) -> Vec<Section> {
    static ATX: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\s{0,3}#{1,6}\s+(.*)$").expect("regex"));
    static UNDERLINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*(?:={3,}|-{3,}|~{3,}|\^{3,}|\*{3,}|\+{3,}|#{3,})\s*$").expect("regex")
    });
    static LICENSING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)licen[cs]|copyright|legal|terms\s+of\s+use").expect("regex")
    });
    static LICENCE_TEXT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)permission\s+is\s+hereby\s+granted|redistribution\s+and\s+use\s+in\s+source|licensed\s+under\s+the\s+apache\s+license|this\s+program\s+is\s+free\s+software|provided\s+.as\s+is.|you\s+are\s+encouraged\s+to\s+use\s+and\s+re-use|permission\s+to\s+use,\s+copy,\s+modify",
        )
        .expect("regex")
    });

    // (heading line, heading text)
    let mut heads: Vec<(usize, String)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if let Some(c) = ATX.captures(l) {
            heads.push((i, c[1].to_owned()));
        } else if i > 0
            && UNDERLINE.is_match(l)
            && !lines[i - 1].trim().is_empty()
            && !heads.iter().any(|h| h.0 == i - 1)
        {
            heads.push((i - 1, lines[i - 1].clone()));
        }
    }
    let mut out = Vec::new();
    let first_head = heads.first().map_or(lines.len(), |h| h.0);
    out.push((0, first_head, String::new()));
    for (n, (line, title)) in heads.iter().enumerate() {
        let end = heads.get(n + 1).map_or(lines.len(), |h| h.0);
        let underline = lines.get(line + 1).is_some_and(|l| UNDERLINE.is_match(l));
        let start = (line + 1 + usize::from(underline)).min(end);
        out.push((start, end, title.clone()));
    }
    // The document's title ("# NHS England Data Science") names the project, not a section
    // about data.
    let title_line = heads
        .first()
        .filter(|h| {
            lines
                .get(h.0)
                .is_some_and(|l| l.trim_start().starts_with("# "))
        })
        .map(|h| h.0);
    out.into_iter()
        .enumerate()
        .map(|(n, (start, end, title))| {
            let licensing = LICENSING.is_match(&title);
            static DATA: LazyLock<Regex> = LazyLock::new(|| {
                Regex::new(r"(?i)\b(?:data|datasets?|databases?)\b").expect("regex")
            });
            // A discipline or team named after data ("Data Science", "Data Engineering").
            static DATA_FIELD: LazyLock<Regex> = LazyLock::new(|| {
                Regex::new(r"(?i)\bdata\s+(?:scien|engineer|analy|visuali[sz]|literacy)")
                    .expect("regex")
            });
            let is_title = n > 0 && title_line == heads.get(n - 1).map(|h| h.0);
            let about_data = DATA.is_match(&title) && !DATA_FIELD.is_match(&title) && !is_title;
            let body = lines[start..end].join("\n");
            let words = body.split_whitespace().count();
            Section {
                body: (start, end),
                licensing,
                looks_like_licence_text: words >= 40 && LICENCE_TEXT.is_match(&body),
                about_data,
            }
        })
        .collect()
}

/// Which lines of a README are badges (`[![alt](image)](target)`, `<a …><img …></a>`,
/// reStructuredText `.. image::`). A row of badges is one paragraph, but each badge is a
/// statement of its own: the "Code Style: Ruff" badge beside "licence: OGL3" says nothing about
/// what the OGL covers.
fn badge_lines(text: &str) -> Vec<bool> {
    static BADGE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^\s*(?:\[!\[|!\[|<a\s[^>]*>\s*<img\s|<img\s|\.\.\s+(?:\|[^|]*\|\s+)?image::)",
        )
        .expect("regex")
    });
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n");
    text.split('\n').map(|l| BADGE.is_match(l)).collect()
}

/// Sentences of a block with the (absolute) line each starts on. Paragraphs break at blank
/// lines and list items; sentences at a full stop followed by a capital. A badge line
/// (`badges[i]`) is a unit of its own.
fn sentences(lines: &[String], badges: &[bool], offset: usize) -> Vec<(usize, String)> {
    static ITEM: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\s*(?:[-*+]|\d+[.)])\s+").expect("regex"));
    let mut out = Vec::new();
    let mut para = String::new();
    let mut para_line = offset;
    // Byte offsets in `para` where each source line starts.
    let mut starts: Vec<(usize, usize)> = Vec::new();
    let flush = |para: &mut String, starts: &mut Vec<(usize, usize)>, out: &mut Vec<_>| {
        split_sentences(para, starts, out);
        para.clear();
        starts.clear();
    };
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        let badge = badges.get(i).copied().unwrap_or(false);
        if t.is_empty() || ITEM.is_match(line) || t.starts_with('|') || badge {
            flush(&mut para, &mut starts, &mut out);
            if t.is_empty() {
                continue;
            }
        }
        if para.is_empty() {
            para_line = offset + i;
        }
        starts.push((para.len(), para_line + (offset + i - para_line)));
        para.push_str(t);
        para.push(' ');
        // A table row or a badge is a unit of its own: rows are not sentences of one
        // paragraph.
        if t.starts_with('|') || badge {
            flush(&mut para, &mut starts, &mut out);
        }
    }
    flush(&mut para, &mut starts, &mut out);
    out
}

fn split_sentences(para: &str, starts: &[(usize, usize)], out: &mut Vec<(usize, String)>) {
    let line_at = |pos: usize| {
        starts
            .iter()
            .rev()
            .find(|(p, _)| *p <= pos)
            .map_or(0, |(_, l)| *l)
    };
    let bytes = para.as_bytes();
    let mut start = 0;
    for i in 0..bytes.len() {
        let end_mark = matches!(bytes[i], b'.' | b'!' | b'?')
            && bytes.get(i + 1) == Some(&b' ')
            && bytes.get(i + 2).is_some_and(|b| b.is_ascii_uppercase());
        if end_mark {
            let s = para[start..=i].trim();
            if !s.is_empty() {
                out.push((line_at(start), s.to_owned()));
            }
            start = i + 1;
        }
    }
    let s = para[start..].trim();
    if !s.is_empty() {
        out.push((line_at(start), s.to_owned()));
    }
}

fn is_licensing_sentence(s: &str) -> bool {
    static RX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)licen[cs]|copyright|released\s+under|available\s+under|distributed\s+under|SPDX|open-government|creativecommons\.org|©",
        )
        .expect("regex")
    });
    RX.is_match(s)
}

/// The scope a sentence gives the licence named at byte `at`: the nearest scope word before the
/// mention, else the nearest after it, else the licence's usual scope.
fn scope_in(sentence: &str, at: usize, id: &str, first: bool) -> Scope {
    static WORDS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\b(?P<docs>documentation|docs|document|written\s+content|content|guidance|website|text|prose|images|reports?)\b|\b(?P<code>code|codebase|software|source\s+code|scripts?|programs?|package|library|tool|repository|project)\b|\b(?P<data>data|datasets?|databases?|contains\s+public\s+sector\s+information)\b",
        )
        .expect("regex")
    });
    // Link targets are kept for the licence names in them, but their words say nothing about
    // scope ("cookiecutter-data-science" in a badge is no data statement). Same length, so
    // offsets still hold.
    static URL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\b(?:https?://|www\.)[^\s)]*").expect("regex"));
    // "the licence text is in LICENSE" says nothing about documentation.
    static LICENCE_TEXT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\blicen[cs]e\s+text\b|\b(?:full\s+)?text\s+of\s+the\s+licen[cs]e\b")
            .expect("regex")
    });
    let masked = URL.replace_all(sentence, |c: &regex::Captures<'_>| " ".repeat(c[0].len()));
    let masked =
        LICENCE_TEXT.replace_all(&masked, |c: &regex::Captures<'_>| " ".repeat(c[0].len()));
    // A licence named before this one, even one too vague to identify ("covered by the GNU
    // General Public License and for all documentation the OGL"), took the subject.
    static LICENCE_NOUN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\blicen[cs]es?\b").expect("regex"));
    let first = first && !LICENCE_NOUN.is_match(&masked[..at]);
    let mut subject: Option<(usize, Scope)> = None;
    let mut before: Option<(usize, Scope)> = None;
    let mut after: Option<(usize, Scope)> = None;
    for c in WORDS.captures_iter(&masked) {
        let m = c.get(0).expect("group 0");
        let scope = if c.name("docs").is_some() {
            Scope::Docs
        } else if c.name("code").is_some() {
            Scope::Code
        } else {
            Scope::Data
        };
        if m.start() < at {
            subject = subject.or(Some((m.start(), scope)));
            before = Some((m.start(), scope));
        } else if after.is_none() {
            after = Some((m.start(), scope));
        }
    }
    // "project" and "repository" describe the whole work; a licence for content names it.
    // The first licence of a sentence belongs to its subject ("The data used to build the
    // dataset in this package is … under the Open Government Licence"); a later one to the
    // nearest scope word before it ("the code is MIT and the documentation is OGL").
    let chosen = if first { subject } else { before }
        .or(after)
        .map(|(_, s)| s);
    match chosen {
        Some(Scope::Code) if is_docs_licence(id) && !mentions_code(sentence) => Scope::Docs,
        Some(s) => s,
        None => default_scope(id),
    }
}

/// The line a mention is on: sentences run across lines (a paragraph of badges is one), and
/// evidence should point at the badge, not the paragraph's first line.
fn line_of_mention(plain: &[String], start: usize, mention: &str) -> usize {
    let word: String = mention.chars().take_while(|c| !c.is_whitespace()).collect();
    if word.is_empty() {
        return start;
    }
    plain
        .iter()
        .enumerate()
        .skip(start)
        .take(40)
        .find(|(_, l)| l.contains(&word))
        .map_or(start, |(i, _)| i)
}

/// "See LICENSE-OGL for the documentation" names a licence file, which is identified on its
/// own; the name in it is no statement, and the words around it give it the wrong scope.
fn names_a_file(sentence: &str, at: usize) -> bool {
    static FILE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\b(?:licen[cs]e|copying)[-_.]$").expect("regex"));
    sentence.get(..at).is_some_and(|head| FILE.is_match(head))
}

fn mentions_docs(s: &str) -> bool {
    static RX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(documentation|docs|guidance|website|written\s+content)\b")
            .expect("regex")
    });
    RX.is_match(s)
}

fn mentions_code(s: &str) -> bool {
    static RX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(code|codebase|software|source\s+code|scripts?|programs?)\b")
            .expect("regex")
    });
    RX.is_match(s)
}

/// Scope of a licence stated without qualification: the OGL and CC BY are for documentation
/// (the NHS pattern), data licences for data, everything else for code.
fn default_scope(id: &str) -> Scope {
    if is_docs_licence(id) {
        Scope::Docs
    } else if is_data_licence(id) {
        Scope::Data
    } else {
        Scope::Code
    }
}
