//! HTML rendered by the server and shown with `inner_html`, sent to the browser once.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A fragment of HTML the server rendered (already escaped), for an element's `inner_html`,
/// held by a page's resource. Hydration leaves an element's `inner_html` as the server wrote
/// it, so the browser needs the fragment only when it renders the page itself (after a
/// navigation, when the resource fetches it): the copy serialized into the page for hydration
/// is empty (`null`), and a large fragment, e.g. the heatmap's table, is not sent twice.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServerHtml(pub String);

impl Serialize for ServerHtml {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_unit()
    }
}

impl<'de> Deserialize<'de> for ServerHtml {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <()>::deserialize(deserializer)?;
        Ok(ServerHtml::default())
    }
}

#[cfg(test)]
mod tests {
    use super::ServerHtml;

    #[test]
    fn the_fragment_is_not_serialized_for_hydration() {
        let html = ServerHtml("<table>…</table>".into());
        let json = serde_json::to_string(&(3, html)).unwrap();
        assert_eq!(json, "[3,null]");
        let (n, back): (u32, ServerHtml) = serde_json::from_str(&json).unwrap();
        assert_eq!((n, back), (3, ServerHtml::default()));
    }
}
