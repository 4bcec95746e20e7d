"""Python compiled from the Designer forms shown at start."""
