"""The emulator's AWS Outposts API (REST-JSON, as botocore's service model describes it).

Wire: ``routes`` (which operation a request is), ``protocol`` (members in, JSON out), ``operations``
(name -> function). Operations: ``inventory`` (sites, Outposts, their assets, the catalog),
``orders``, ``quotes``, ``billing`` (renewal pricing, renewals, billing information), ``decommission``.
Domain: ``records`` (stored documents), ``views`` (wire shapes built from records), ``contracts``
(subscriptions, their dates and statuses), ``lifecycle``, ``assets``, ``pricing``, ``identifiers``,
``paging``. Also ``seed`` (the seed data and its IDs) and ``admin`` (its endpoints of the admin API).
"""
