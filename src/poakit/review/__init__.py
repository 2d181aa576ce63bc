"""Checks over an assembled letter: structure, dates, evidence, length, and the tone rules."""
