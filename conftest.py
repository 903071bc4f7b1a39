pytest_plugins = ["hom.testing.plugin"]
