"""The desktop panel: the RUS check dock, its models, the background task and live mode."""
