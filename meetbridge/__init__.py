"""The composition root and the command line: the one place that knows every edge."""
