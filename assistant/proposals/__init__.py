"""Record changes proposed by the assistant, applied only on a person's approval."""
