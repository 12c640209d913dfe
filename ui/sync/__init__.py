"""Sync in the GUI: the status line, the Sync area with "needs attention", and the conflict screen."""
