"""Use cases: each takes a unit of work, loads through repositories, calls the domain,
writes the result with its audit events and outbox rows, and commits once."""
