"""A local emulator of the AWS Outposts API (and of STS, for accounts, and of the Amazon Business Ordering API),
for the product's demo and tests.

Run it with ``outposts-orders emulator [--host H] [--port N|0] [--db PATH|:memory:] [--no-seed]
[--speed DAYS_PER_SECOND] [--ab-speedup FACTOR] [--credentials KEY:SECRET] [--max-open-orders N]
[--max-units-per-order N]``
and point unmodified AWS clients at it with ``AWS_ENDPOINT_URL_OUTPOSTS=http://HOST:PORT`` (and
``AWS_ENDPOINT_URL_STS=http://HOST:PORT``: one port serves both). The default database is
``.local/emulator.db`` relative to the working directory.

Wire: the REST-JSON protocol as botocore's service model describes it (``outposts.routes``, ``outposts.protocol``).
Requests need a SigV4 ``Authorization`` header (else 403 MissingAuthenticationTokenException, or
IncompleteSignatureException when malformed); with ``--credentials`` the signature is verified
(403 InvalidSignatureException) and other keys are refused (403 UnrecognizedClientException).
ARNs use the region of the signature's credential scope and the caller's account (below).
Operations that the model has but the emulator lacks get 501 NotImplementedException naming
them; paths that are no operation get 404 UnknownOperationException.

Validation: every input is checked against the service model (``.._model``) first; violations
are one 400 ValidationException naming each member and rule. That includes the wire types'
ranges (``integer`` 32-bit, ``long`` 64-bit, ``float`` 32-bit and finite, ``double`` finite): a
Quantity of 2147483648 or a capacity of 1e308 is refused, never echoed. restJson1's special-float
strings (``"NaN"``, ``"Infinity"``, ``"-Infinity"``) are read as floats, then refused as not finite;
bare ``NaN``/``Infinity`` tokens are not JSON (400). Responses are strict JSON (no such token).
Semantic rules, in order:

CreateOrder
  - The Outpost (ID or ARN) exists (404 NotFoundException) and is ACTIVE (409 ConflictException,
    ResourceType OUTPOST). An ARN of another account or region names nothing here (404).
  - Either LineItems, or QuoteIdentifier with QuoteOptionIdentifier; not both, not neither (400).
  - Line items: at most ``--max-units-per-order`` (default 100) units in all (400, naming the
    line item's Quantity that goes over). Every unit becomes an asset with MAC addresses in each
    GetOrder from day 7 on, so this bounds a response: a delivered 100-unit order is 9 KB and
    about 3 ms per GetOrder (100,000 units were 9 MB and 1.6 s).
  - Each catalog item exists (404), is AVAILABLE (400) and is of the Outpost's hardware type,
    RACK or SERVER (400).
  - Quote: it exists (404); it is ordered once (409 ConflictException naming the order); it is
    not expired (400); it names this Outpost (400); the option belongs to it (400); the option
    is priced for the PaymentOption (and PaymentTerm, if given) (400). The order's line items
    are the option's (one per rack or server, without CatalogItemId); the quote becomes
    ORDER_SUBMITTED with SubmittedOrderId.
  - At most ``--max-open-orders`` (default 500) orders not yet COMPLETED, CANCELLED or ERROR per
    account (402 ServiceQuotaExceededException).
GetOrder, CancelOrder: unknown order -> 404. Only a PREPARING order can be cancelled (409
  ConflictException, ResourceType ORDER); it becomes CANCELLED with its line items. The quote
  of a cancelled order stays ORDER_SUBMITTED.
ListOrders: OutpostIdentifierFilter (ID or ARN) must name an Outpost (404).
Get*/List* of Outposts, sites, assets, catalog items, quotes: unknown IDs -> 404.
Quotes: CreateQuote's optional Outpost must exist (404); a quote is valid for 30 simulated days
  (seeded: 90), then EXPIRED; it has one option per scale (one and two racks or servers), each
  priced for every requested payment option and term (all by default; ``outposts.pricing``); a requested
  capacity whose two-unit option would exceed a 32-bit float is refused (400). UpdateQuote
  changes only a CREATED quote (else 400) and re-prices it under new option IDs; DeleteQuote
  refuses a quote that became an order (400).
Pagination: MaxResults (default 100) and NextToken ``<offset>##<fingerprint>``; a token from
  another request or filter is a 400 ValidationException.
Contracts (``outposts.contracts``): every Outpost has an ORIGINAL subscription (seeded ones:
  ``outposts.seed.CONTRACTS``), every order adds a CAPACITY_INCREASE (its OrderIds), PENDING until
  the order's hardware is delivered and co-terminous with the contract; renewals chain after the
  contract's end. Statuses follow the clock. GetRenewalPricing: PRICED for every payment option and
  term (``pricing.price`` of the Outpost's units now), UNABLE_TO_PRICE for an Outpost that is not
  ACTIVE or that the admin API marked. CreateRenewal (``outposts.billing``): the Outpost exists
  (404); a ClientToken seen before in the account answers its renewal again when the request is the
  same, else 400 naming it; a renewal still PENDING (400); UNABLE_TO_PRICE (400). The renewal begins
  at the contract's end, and when it does the contract's end moves to its own.
  GetOutpostBillingInformation: the ORIGINAL and the caller's subscriptions, paginated;
  ContractEndDate is ``YYYY-MM-DD``. GetQuote's OUTPOST_RENEWAL_REQUIRED_ERROR FAILs while the
  contract, pending renewals included, ends within 365 days.
StartOutpostDecommission (``outposts.decommission``): validation only (without ValidateOnly: 400);
  not ACTIVE: 409 ConflictException; the caller's open orders for it: BLOCKED
  (OUTPOST_ORDER_CANCELLABLE for PREPARING, OUTPOST_ORDER_INTERVENTION_REQUIRED for IN_PROGRESS,
  DELIVERED, ERROR); otherwise SKIPPED. Nothing changes.

Accounts (``accounts``, ``identity``, ``sts``): requests whose SigV4 scope names ``sts`` (or
unsigned ones to ``/``) are STS's query protocol: GetCallerIdentity and AssumeRole (other STS
operations: 501), validated against botocore's STS model, XML responses and STS error codes.
  - Long-term keys: TEST_ACCESS_KEY_ID acts for ACCOUNT_ID (123456789012), SECOND_ACCESS_KEY_ID
    for SECOND_ACCOUNT_ID (210987654321); any other key for ACCOUNT_ID (in strict mode the
    ``--credentials`` key is the only long-term key accepted).
  - AssumeRole: any ``arn:aws:iam::<12-digit account>:role/[<path>/]<name>``, by any caller; names
    ending in ``-external-id`` need ``ExternalId=accounts.EXTERNAL_ID`` and names ending in
    ``-denied`` trust nobody (403 AccessDenied); DurationSeconds (default 3600) at most 3600, the
    default MaxSessionDuration and the role-chaining limit (400 ValidationError); a Policy must be
    a JSON object (MalformedPolicyDocument). It returns ASIA... credentials, stored in the database,
    that act for the role's account, also to assume further roles (chaining).
  - Temporary credentials need their session token (else 403 UnrecognizedClientException /
    InvalidClientTokenId) and a correct signature in every mode, and expire DurationSeconds later
    on the simulated clock (403 ExpiredTokenException / ExpiredToken): advance the admin clock to
    expire them. ``Expiration`` is on that clock too.
  - Orders and quotes belong to the account that created them: another account's GetOrder,
    CancelOrder, Get/Update/DeleteQuote and CreateOrder from its quote are 404, and ListOrders,
    ListQuotes and ListAssets leave them out; the open-order quota is per account. Sites, Outposts,
    their existing assets and the catalog are shared: every account sees the seeded ones, with
    OwnerId, AccountId and ARNs of its own (so any account can order for an ACTIVE Outpost; IDs
    are not unique across accounts as on AWS). The seeded quotes belong to ACCOUNT_ID.

Lifecycle (``outposts.lifecycle.SCHEDULE``), in simulated days after submission:

  ====  ============  =====================================================
  day   order         line items
  ====  ============  =====================================================
  0     PREPARING     PREPARING
  3     IN_PROGRESS   BUILDING
  7     IN_PROGRESS   SHIPPED (carrier EXPEDITORS for racks, a parcel
                      carrier for servers; tracking number); assets with
                      MAC addresses exist from here on
  14    DELIVERED     DELIVERED
  17    DELIVERED     INSTALLING
  21    COMPLETED     INSTALLED; OrderFulfilledDate is set
  ====  ============  =====================================================

COMPLETED, CANCELLED and ERROR are final. Simulated time is wall-clock time plus an offset
(``clock``) that grows through the admin clock (``advance_days``) and ``--speed``, and survives
a restart: an order placed now is dated now, as at AWS, and never before an earlier one. The
admin API (``admin``; this endpoint: ``outposts.admin``) can force any current order status; the
order continues along the schedule from that status's first day.

Faults (``faults``, via ``PUT /_emulator/faults``): ``latency_ms``, ``throttle_rate`` (429
ThrottlingException), ``error_rate`` (500 InternalServerException) and
``drop_response_after_commit`` (the call runs and commits, then the connection closes without
a response) and ``error_after_commit`` (the call runs and commits, then answers 500). ``"*"`` covers
the Outposts operations; STS operations take faults only by their own name (Throttling 400,
InternalFailure 500). Both count in the admin call log.

Coverage: 20 of the service model's 45 operations are implemented (``outposts.operations``); every other
one answers 501 NotImplementedException naming it. Conformance is tested against the model
(``tests/emulator/test_conformance.py``), AWS's published examples (``test_golden.py``) and two
other SDKs: the AWS SDK for JavaScript v3 (``test_js_client.py``: orders, pagination, cancel, renewals,
billing information, decommission validation, every error type; its model predates the 2026-06 quote
update) and the AWS SDK for Go v2, whose ``service/outposts`` v1.74.12 has it (``test_go_client.py``:
quote orders and the quote operations too).

  ==============================================  ===============  ==================================
  operations                                      implemented      why
  ==============================================  ===============  ==================================
  CreateOrder, GetOrder, ListOrders, CancelOrder  yes              what OutpostOrder places, tracks,
                                                                   reconciles and cancels
  CreateQuote, GetQuote, ListQuotes, UpdateQuote, yes              OutpostQuote, review's prices,
  DeleteQuote                                                      the expected_price guard
  GetOutpost, ListOutposts, GetSite, ListSites    yes              Outposts and sites that orders
                                                                   name (ID or ARN)
  GetCatalogItem, ListCatalogItems                yes              the items line items order
  ListAssets                                      yes              the hardware an order builds
  GetOutpostBillingInformation,                   yes              contract dates and renewals of the
  GetRenewalPricing, CreateRenewal                                 Outposts the product orders for
  StartOutpostDecommission                        yes              what would block decommissioning
                                                                   (ValidateOnly only)
  CreateOutpost, UpdateOutpost, DeleteOutpost,    no               Outposts and sites are seeded;
  CreateSite,                                                      the product orders hardware for
  UpdateSite, DeleteSite, UpdateSiteAddress,                       them and never manages them
  UpdateSiteRackPhysicalProperties,
  GetSiteAddress
  GetOutpostInstanceTypes,                        no               instance-type catalogues: the
  ListOrderableInstanceTypes,                                      product orders catalog items
  GetOutpostSupportedInstanceTypes,                                and quotes, not instance types
  ListAssetInstances
  StartCapacityTask, GetCapacityTask,             no               capacity tasks rearrange running
  CancelCapacityTask, ListCapacityTasks,                           hardware: outside ordering
  ListBlockingInstancesForCapacityTask
  StartConnection, GetConnection,                 no               network set-up of installed
  CreatePrivateConnectivityConfig,                                 hardware: outside ordering
  GetPrivateConnectivityConfig
  TagResource, UntagResource, ListTagsForResource no               orders and quotes carry no tags
                                                                   in this API; not used
  ==============================================  ===============  ==================================

Modules: one package per service, as moto lays them out, over a shared core that imports none of
them (except ``app``, which assembles them).

- ``outposts`` (the Outposts API): ``routes`` + ``protocol`` (wire), ``operations`` (name -> function),
  ``inventory`` (sites, Outposts, their assets, the catalog), ``orders``, ``quotes``, ``billing``
  (renewal pricing, renewals, billing information), ``decommission``, ``records`` (orders, quotes,
  catalog items, subscriptions with the emulator's own state, their stored form and kinds), ``views``
  (every wire view, built from records), ``contracts`` (subscriptions' dates and statuses),
  ``lifecycle``, ``assets``, ``pricing``, ``identifiers``, ``paging``, ``seed``, ``admin`` (its admin
  endpoints).
- ``sts`` (STS): ``responses`` (query-protocol wire), ``models`` (GetCallerIdentity, AssumeRole).
- ``amazon_business`` (the Ordering API and LWA): ``responses`` (wire and its admin API), ``models``
  (products, orders, tokens, usage plan), ``exceptions``.
- Core: ``app`` (WSGI router; assembles the services), ``server`` (Werkzeug server, signals),
  ``command`` (CLI), ``shell`` (export lines), ``auth`` (SigV4), ``identity`` (callers, temporary
  credentials), ``accounts`` (seeded keys, role conventions), ``domain`` (context, service),
  ``clock``, ``store`` (SQLite), ``errors``, ``faults``, ``calls``, ``admin``, ``testing`` (helpers of
  fixtures and benchmarks).

The modules that moved into ``outposts`` can still be imported from here by their old names
(``from pulumi_outposts_orders.emulator import seed``), on first use.
"""

from __future__ import annotations

import importlib
from types import ModuleType

_MOVED = {
    name: f".outposts.{name}"
    for name in ("assets", "identifiers", "inventory", "lifecycle", "operations", "orders", "paging", "pricing",
                 "protocol", "quotes", "records", "routes", "seed", "views")
}
"""Modules of the flat layout that moved into ``outposts``, by their old names."""


def __getattr__(name: str) -> ModuleType:
    module = _MOVED.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return importlib.import_module(module, __name__)
