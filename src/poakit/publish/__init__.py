"""Publishing the site as versions with mike (`make publish`)."""
