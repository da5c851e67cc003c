"""The shared core every Cloud Tasks version is built on (private: no stable API)."""
