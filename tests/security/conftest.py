def pytest_configure(config):
    config.addinivalue_line(
        "markers", "fuzz: hostile-input fuzzing (Hypothesis); part of the normal run, longer with `make fuzz`"
    )
