"""Rows of the authorization matrix, one module per app (see docs/SECURITY-MATRIX.md)."""
