"""govaudit: inspect Chinese government websites the way the monthly inspections do."""
__version__ = "0.1.0"
