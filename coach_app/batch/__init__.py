"""Scoring many recordings at once: finding the files, scoring them in worker processes or on a Dask cluster."""
