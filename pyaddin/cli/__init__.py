"""The ``qualitybook`` command line: small commands over the same actions as the ribbon (see ``main``)."""
