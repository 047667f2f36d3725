//! One message body, written once and rendered twice: as plain text and as simple HTML. Both
//! are short enough to read on a phone; the HTML has no images, no tracking and no remote
//! content, and its buttons are ordinary links, so it reads the same in every mail program.

/// A part of a message body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// A paragraph.
    Text(String),
    /// A list of lines, such as the sessions.
    List(Vec<String>),
    /// A link shown as a button in HTML and as "label: url" in text.
    Button { label: String, url: String },
    /// Small print at the end.
    Small(String),
}

/// A whole message: greeting, blocks and signature.
#[derive(Clone, Debug, Default)]
pub struct Body {
    pub lang: &'static str,
    /// The HTML document's title: the subject.
    pub title: String,
    pub greeting: String,
    pub blocks: Vec<Block>,
    /// Lines of the signature: "Venlig hilsen", the school's name, its contact.
    pub signature: Vec<String>,
}

impl Body {
    pub fn text(&mut self, s: impl Into<String>) -> &mut Self {
        self.blocks.push(Block::Text(s.into()));
        self
    }

    pub fn list(&mut self, lines: Vec<String>) -> &mut Self {
        if !lines.is_empty() {
            self.blocks.push(Block::List(lines));
        }
        self
    }

    pub fn button(&mut self, label: impl Into<String>, url: impl Into<String>) -> &mut Self {
        self.blocks.push(Block::Button {
            label: label.into(),
            url: url.into(),
        });
        self
    }

    pub fn small(&mut self, s: impl Into<String>) -> &mut Self {
        self.blocks.push(Block::Small(s.into()));
        self
    }

    /// The plain-text body.
    pub fn to_text(&self) -> String {
        let mut out = format!("{}\n\n", self.greeting);
        for block in &self.blocks {
            match block {
                Block::Text(t) | Block::Small(t) => out.push_str(&format!("{t}\n\n")),
                Block::List(lines) => {
                    for line in lines {
                        out.push_str(&format!("- {line}\n"));
                    }
                    out.push('\n');
                }
                Block::Button { label, url } => out.push_str(&format!("{label}:\n{url}\n\n")),
            }
        }
        out.push_str(&self.signature.join("\n"));
        out.push('\n');
        out
    }

    /// The HTML body: one column, system fonts, links as large buttons.
    pub fn to_html(&self) -> String {
        let mut out = format!(
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{}</title>\n</head>\n\
             <body style=\"margin:0;padding:16px;background:#ffffff;color:#1f2328;\
             font-family:-apple-system,'Segoe UI',Roboto,Arial,sans-serif;font-size:16px;line-height:1.5\">\n\
             <div style=\"max-width:36em\">\n<p>{}</p>\n",
            self.lang,
            escape(&self.title),
            escape(&self.greeting)
        );
        for block in &self.blocks {
            match block {
                Block::Text(t) => out.push_str(&format!("<p>{}</p>\n", escape(t))),
                Block::Small(t) => out.push_str(&format!(
                    "<p style=\"font-size:14px;color:#4b5563\">{}</p>\n",
                    escape(t)
                )),
                Block::List(lines) => {
                    out.push_str("<ul style=\"padding-left:1.2em\">\n");
                    for line in lines {
                        out.push_str(&format!("<li>{}</li>\n", escape(line)));
                    }
                    out.push_str("</ul>\n");
                }
                Block::Button { label, url } => out.push_str(&format!(
                    "<p><a href=\"{}\" style=\"display:inline-block;padding:12px 20px;\
                     background:#1d4f73;color:#ffffff;border-radius:6px;text-decoration:none;\
                     font-weight:600\">{}</a></p>\n",
                    escape(url),
                    escape(label)
                )),
            }
        }
        out.push_str("<p>");
        out.push_str(
            &self
                .signature
                .iter()
                .map(|l| escape(l))
                .collect::<Vec<_>>()
                .join("<br>\n"),
        );
        out.push_str("</p>\n</div>\n</body>\n</html>\n");
        out
    }
}

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_bodies_say_the_same() {
        let mut body = Body {
            lang: "da",
            greeting: "Hej Kim,".into(),
            signature: vec!["Venlig hilsen".into(), "Skolen".into()],
            ..Body::default()
        };
        body.text("Du har en plads <på> holdet.")
            .list(vec!["Tirsdag".into()])
            .button("Se din tilmelding", "https://example.org/x?a=1&b=2");
        let text = body.to_text();
        let html = body.to_html();
        assert!(text.contains("Du har en plads <på> holdet."));
        assert!(text.contains("Se din tilmelding:\nhttps://example.org/x?a=1&b=2"));
        assert!(html.contains("Du har en plads &lt;på&gt; holdet."));
        assert!(html.contains("href=\"https://example.org/x?a=1&amp;b=2\""));
        assert!(html.contains("<html lang=\"da\">"));
        assert!(text.ends_with("Venlig hilsen\nSkolen\n"));
    }
}
