"""The docs tests: every Python and shell block of README.md and docs/*.rst runs as shown."""
