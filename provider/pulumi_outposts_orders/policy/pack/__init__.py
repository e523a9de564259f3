"""The ``outposts-orders`` policy pack's directory: ``PulumiPolicy.yaml``, ``requirements.txt``, the glue the engine
runs (``__main__.py``, with ``pulumi_policy`` from the pack's own virtualenv) and the rules (``outposts_rules``)."""
