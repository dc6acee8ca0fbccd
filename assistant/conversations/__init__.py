"""Chat conversations, persisted with their tool calls and citations."""
