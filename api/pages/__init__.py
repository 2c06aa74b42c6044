"""HTML pages (Jinja2), Chinese by default with an English switch."""
