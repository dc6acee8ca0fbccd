"""Queries of the records domain. They never commit; services own transactions."""
