"""`make bench`: the province-scale benchmark (bench/run.py) and its helper scripts."""
