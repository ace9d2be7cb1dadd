"""The live card: a meeting's posted card kept true while it runs, and what
the chat is told when it ends (a summary) or is forgotten (nobody in)."""
