"""The emulator's AWS Outposts API (REST-JSON, as botocore's service model describes it).

Wire: ``routes`` (which operation a request is), ``protocol`` (members in, JSON out), ``operations``
(name -> function). Operations: ``inventory`` (sites, Outposts, their assets, the catalog),
``orders``, ``quotes``. Domain: ``records`` (stored documents), ``views`` (wire shapes built from
records), ``lifecycle``, ``assets``, ``pricing``, ``identifiers``, ``paging``. Also ``seed`` (the seed
data and its IDs) and ``admin`` (its endpoint of the admin API).
"""
