"""Public statistics: CTDC-shaped data, differential privacy, CTDC reference data, SIMFONI-PPA export."""
