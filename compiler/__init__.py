"""planc: the training-plan compiler."""

__version__ = "0.1.0"
