"""MkDocs-free builders of the site's generated pages: case pages, the dashboard, the
catalogue, lessons, search entries, charts, and the data the guide's macros show."""
