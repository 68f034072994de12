"""Patent value: strategic-emerging-industry classification, official high-value flags, value scores."""
