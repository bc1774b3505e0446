"""The analyst report: ``jixiao report`` writes the published marts as a static HTML page (build.py)."""
