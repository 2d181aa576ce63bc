"""Assembly: a case and the library become a `Letter`, every item traced to its case entry
and snippet; and the sample case the catalogue renders snippets with."""
