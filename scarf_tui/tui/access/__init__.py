"""The organization-wide access matrix: packages × users, each cell a permission level."""
