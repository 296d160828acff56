"""The wire between the command line and the running dashboard: where the socket is, how a request and a reply
travel, and the client. Imports nothing of the project, so both sides may use it."""
