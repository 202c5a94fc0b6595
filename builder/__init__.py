"""newsarchive: a static site generator for a tech-news archive."""

__version__ = "0.1.0"
