"""A console chat: type ``/meet …`` lines, read rendered replies."""
