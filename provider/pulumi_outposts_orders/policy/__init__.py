"""The ``outposts-orders`` policy pack (CrossGuard): spending rules for hardware orders.

The pack itself is the ``pack`` directory (``PulumiPolicy.yaml``, ``requirements.txt``, ``__main__.py`` and the
rules, ``pack/outposts_rules.py``); ``command`` gives it to ``pulumi preview --policy-pack`` with its own
virtualenv (``outposts-orders policy-pack-path``) or copies it into a repository.
"""
