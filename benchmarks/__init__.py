"""Scale data set, benchmark suite and import comparison (issue 7: performance at province scale)."""
