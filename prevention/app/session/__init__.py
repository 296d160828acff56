"""Per-session plumbing: the connection, the signed-in user, the language, links, live refresh."""
