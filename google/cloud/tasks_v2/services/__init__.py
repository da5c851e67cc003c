"""Services of Cloud Tasks v2."""
