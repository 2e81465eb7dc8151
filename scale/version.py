"""The generator's version, written into the database's marker: the benchmark regenerates data an
older generator wrote (bench.database reads it before Django is set up, hence its own module).

2: the guarantees' facts (issue 17)."""

GENERATOR_VERSION = 2
