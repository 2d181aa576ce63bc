"""Files to model: YAML that keeps positions, case files, the snippet library, tone rules.

Every problem found while reading becomes a finding worded for someone editing YAML, through
one translator (`findings`).
"""
