"""System checks for what the portal needs from the machine."""
