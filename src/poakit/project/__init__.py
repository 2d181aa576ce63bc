"""A project on disk: finding and loading its cases and library, the one cache, the memo of
what a long-running process made, work spread over the cores, and settings."""
