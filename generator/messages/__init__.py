"""The messages that run a program: what is due, composed, written to the outbox, sent once."""
