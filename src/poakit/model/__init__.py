"""The case, the library and the letter as data (pydantic models and dataclasses).

No I/O and no rendering: `source` reads files into these types, `templating` and `letter`
turn them into text. Imports nothing of poakit but `errors`.
"""
