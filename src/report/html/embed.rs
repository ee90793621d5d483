//! Puts the report JSON into the dashboard page. Report strings are untrusted (repository
//! names, messages, masked excerpts), so the JSON goes into a `<script type="application/json">`
//! element and never into markup; this module owns the one escaping rule that keeps it there.

/// The page skeleton; markers below mark where the stylesheet, the report and the script go.
pub const TEMPLATE: &str = include_str!("template.html");
pub const STYLESHEET: &str = include_str!("dashboard.css");
pub const SCRIPT: &str = include_str!("dashboard.js");

const CSS_MARKER: &str = "/*@openly:css*/";
const REPORT_MARKER: &str = "/*@openly:report*/";
const JS_MARKER: &str = "/*@openly:js*/";

/// Makes serialized JSON safe inside `<script type="application/json">`.
///
/// The HTML parser ends a script element at `</script` and changes state at `<!--`, whatever
/// the script's type, and serde_json leaves `<` as it is. Writing `<` as `\u003c` (and `>`, `&`
/// as `\u003e`, `\u0026`) removes every such sequence while `JSON.parse` reads back the same
/// value: outside strings JSON has no `<`, `>` or `&`, and inside strings a `\uXXXX` escape is
/// the character itself. U+2028 and U+2029 are escaped too, for readers that treat the text as
/// JavaScript.
pub fn escape_json_for_script(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 16);
    for ch in json.chars() {
        match ch {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            _ => out.push(ch),
        }
    }
    out
}

/// The whole page for one report, given the report as `openly audit --format json` prints it.
///
/// Only the escaped JSON is data; the stylesheet and script are this crate's own assets. The
/// template is split at its markers once, so nothing inserted is searched for markers again.
pub fn render_page(report_json: &str) -> String {
    let report = escape_json_for_script(report_json.trim());
    let mut page =
        String::with_capacity(TEMPLATE.len() + STYLESHEET.len() + SCRIPT.len() + report.len());
    let mut rest = TEMPLATE;
    for (marker, insert) in [
        (CSS_MARKER, STYLESHEET),
        (REPORT_MARKER, report.as_str()),
        (JS_MARKER, SCRIPT),
    ] {
        // The markers are in the template in this order; the unit tests hold it to that.
        if let Some(at) = rest.find(marker) {
            page.push_str(&rest[..at]);
            page.push_str(insert);
            rest = &rest[at + marker.len()..];
        }
    }
    page.push_str(rest);
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str =
        "</script><script>alert(1)</script><!-- <SCRIPT> &amp; \u{2028} </ScRiPt >";

    #[test]
    fn escaped_json_holds_no_markup_and_parses_back_to_the_same_value() {
        let value =
            serde_json::json!({"repos": [{"name": HOSTILE, "findings": [{"message": HOSTILE}]}]});
        let json = serde_json::to_string(&value).unwrap();
        let escaped = escape_json_for_script(&json);
        for needle in ["<", ">", "&", "\u{2028}"] {
            assert!(!escaped.contains(needle), "{needle:?} left in {escaped}");
        }
        let back: serde_json::Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn a_hostile_report_cannot_close_the_data_element() {
        let json = serde_json::to_string(&serde_json::json!({"name": HOSTILE})).unwrap();
        let page = render_page(&json);
        let lower = page.to_ascii_lowercase();
        let data_at = lower.find("id=\"openly-report\">").unwrap();
        let data_end = data_at + lower[data_at..].find("</script").unwrap();
        // The data element ends at the template's own closing tag, right after the JSON.
        assert_eq!(
            lower[data_at..data_end].trim_end().chars().last(),
            Some('}')
        );
        assert!(!lower[data_at..data_end].contains("<!--"));
    }

    #[test]
    fn the_template_has_each_marker_once_in_the_order_render_page_expects() {
        let at: Vec<usize> = [CSS_MARKER, REPORT_MARKER, JS_MARKER]
            .iter()
            .map(|marker| {
                assert_eq!(TEMPLATE.matches(marker).count(), 1, "{marker}");
                TEMPLATE.find(marker).unwrap()
            })
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
        let page = render_page("{}");
        for marker in [CSS_MARKER, REPORT_MARKER, JS_MARKER] {
            assert!(!page.contains(marker), "{marker} left in the page");
        }
    }

    #[test]
    fn the_inlined_assets_cannot_end_their_own_elements_or_reach_the_network() {
        let css: &[&str] = &["url(", "@import"];
        let js: &[&str] = &[
            "innerhtml",
            "outerhtml",
            "insertadjacenthtml",
            "document.write",
            "fetch(",
            "xmlhttprequest",
            "eval(",
        ];
        for (name, asset, banned) in [("css", STYLESHEET, css), ("js", SCRIPT, js)] {
            // The SVG namespace is a name, not a fetch.
            let lower = asset
                .to_ascii_lowercase()
                .replace("\"http://www.w3.org/2000/svg\"", "");
            let common = ["</script", "</style", "<!--", "http:", "https:"];
            for needle in common.iter().chain(banned) {
                assert!(!lower.contains(needle), "{name} contains {needle}");
            }
        }
    }
}
