"""Routers by area. Each route parses, calls one service or facade method, and lets the error handlers map
what it raises."""
