"""jixiao (绩效): performance self-evaluation for government service centres."""

__version__ = "0.1.0"
