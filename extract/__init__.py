"""PDF → report records (the contract in ``report-record.schema.json``).

Kept free of Dagster/dbt/Great Expectations imports so that ``jixiao extract`` starts fast.
"""

__version__ = "0.3.0"
EXTRACTOR_VERSION = f"jixiao-extract/{__version__}"
