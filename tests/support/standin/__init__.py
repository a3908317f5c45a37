"""Internals of the Google Sheets v4 / Drive v3 / OAuth stand-in; the public face is tests.support.google_standin."""
