"""Steps of the quarter that span several outside systems (report: rollups into summary.xlsx,
emails and CSV), and the results file every command hands to the next.

The only layer besides ``cli`` that may combine adapters; adapters never import it.
"""
