"""TrueConf Server backend: OAuth2 auth, REST client, ports adapter and an in-memory sandbox."""
