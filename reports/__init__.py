"""govaudit."""
