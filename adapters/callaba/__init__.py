"""Callaba video-conferencing rooms as a conference backend."""
