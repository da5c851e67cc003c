"""Services of Cloud Tasks v2beta3."""
