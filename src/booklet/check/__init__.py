"""The check stage: read the outputs back and hold them to their standards."""
