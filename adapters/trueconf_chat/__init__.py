"""TrueConf's own chat as a messenger: the server's chat-bot API (5.5+),
spoken through TrueConf's ``python-trueconf-bot`` library."""
