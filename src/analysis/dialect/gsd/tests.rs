//! GSD: what the parser reads and each rule firing and silent.
