"""What people read: HTML and text summaries rendered with jinja2 (the only user of it), and results.csv."""
