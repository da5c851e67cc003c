"""Tests of the Cloud Tasks emulator (a package, so its modules never shadow the suite's)."""
