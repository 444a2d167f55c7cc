"""runstrong: leg-strength training for distance runners."""

__version__ = "0.1.0"
