pytest_plugins = ["hom.testing.plugin", "hom.testing.faults"]
