"""Data-quality contracts (Great Expectations 1.x) on the warehouse facts → ``marts.dq_findings``.

Great Expectations is imported only when a suite runs: importing it takes seconds.
"""
