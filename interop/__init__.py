"""HTCDS 2.0 export and import of referral packets."""
