//! Reading news articles: decoding files, the input formats, stable ids, sentence
//! segmentation, boilerplate flags (by rules, and lines repeated across documents), and the text folding used for matching. Pure: no
//! database, no user interface.

pub mod boilerplate;
pub mod decode;
pub mod ids;
pub mod normalize;
pub mod reader;
pub mod repeated_lines;
pub mod segment;
