"""What Chinese text a person reads must not contain, shared by the page crawl and the notice tests."""
import re

ISO_DATE = re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])")
"""A date written the ISO way (2026-09-08); Chinese pages and notices write 2026年9月8日 (i18n/words.py)."""
