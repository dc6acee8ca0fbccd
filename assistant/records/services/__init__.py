"""Services own transactions and validation; callers pass an `Actor` and keyword arguments."""
