//! Fictional demonstration data.
