//! Search (layer 3): one kind of hit that every room returns for a query, and the rules that
//! turn stored text into a highlighted snippet. Each room finds its own hits through the
//! database's full-text indexes (analyzer `kyodo_ngram`: character bigrams, so Japanese, which
//! has no spaces, is found by any two or more consecutive characters) and keeps only what the
//! caller may read; the top layer's search page merges them by score.

pub mod model;
