"""Rendering snippets: the Jinja sandbox and its budget, rich text (case values stay data),
and the escaping functions, one per kind of sink."""
