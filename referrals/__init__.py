"""Consent-scoped referrals: packets, lifecycle, inbox."""
