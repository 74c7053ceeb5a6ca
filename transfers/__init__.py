"""Case transfer from one lead organisation to another."""
