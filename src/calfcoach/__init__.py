"""calfcoach: calf-strength coaching for runners."""

__version__ = "0.1.0"
