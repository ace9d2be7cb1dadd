"""One handler per command. Each takes the command, the request and the ports,
and returns a neutral ``Reply``; the registry maps command types to handlers."""
