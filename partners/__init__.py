"""Partner directory: organisation profiles, services, regions served, capacity."""
