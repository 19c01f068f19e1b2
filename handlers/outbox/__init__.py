"""The outbox sender: delivers what the engine queued, rendered with :mod:`handlers.ui`."""
