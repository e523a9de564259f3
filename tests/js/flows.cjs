// Flows of the AWS SDK for JavaScript v3 against the Outposts emulator, driven by
// tests/emulator/test_js_client.py. The client is configured only through the environment
// (AWS_ENDPOINT_URL_OUTPOSTS, credentials, region); EMULATOR_ADMIN is the emulator's admin API.
// Prints one JSON object with what each flow saw; the Python test asserts on it.
"use strict";
const sdk = require("@aws-sdk/client-outposts");

const RACK_OUTPOST = process.env.RACK_OUTPOST_ID;
const SERVER_OUTPOST = process.env.SERVER_OUTPOST_ID;
const RACK_ITEM = process.env.RACK_CATALOG_ITEM_ID;
const admin = process.env.EMULATOR_ADMIN;
const client = new sdk.OutpostsClient({ maxAttempts: 1 });

async function faults(settings) {
  const response = await fetch(`${admin}/_emulator/faults`, { method: settings ? "PUT" : "DELETE",
    headers: { "content-type": "application/json" }, body: settings ? JSON.stringify(settings) : undefined });
  if (!response.ok) throw new Error(`admin faults: ${response.status}`);
}

function placeOrder(quantity) {
  return client.send(new sdk.CreateOrderCommand({ OutpostIdentifier: RACK_OUTPOST, PaymentOption: "ALL_UPFRONT",
    PaymentTerm: sdk.PaymentTerm.FIVE_YEARS, LineItems: [{ CatalogItemId: RACK_ITEM, Quantity: quantity }] }));
}

async function failure(call) {
  try {
    await call();
    return { thrown: false };
  } catch (error) {
    const modeled = typeof sdk[error.name] === "function" && error instanceof sdk[error.name];
    return { thrown: true, name: error.name, status: error.$metadata && error.$metadata.httpStatusCode,
             modeledClass: modeled, fault: error.$fault, message: error.message,
             resourceId: error.ResourceId, resourceType: error.ResourceType };
  }
}

// Renewal pricing, a renewal created twice with one ClientToken, and the billing information page by page.
async function renewals() {
  const pricing = await client.send(new sdk.GetRenewalPricingCommand({ OutpostIdentifier: SERVER_OUTPOST }));
  const request = { OutpostIdentifier: SERVER_OUTPOST, PaymentOption: sdk.PaymentOption.NO_UPFRONT,
                    PaymentTerm: sdk.PaymentTerm.ONE_YEAR, ClientToken: "js-renewal-token" };
  const created = await client.send(new sdk.CreateRenewalCommand(request));
  const again = await client.send(new sdk.CreateRenewalCommand(request));
  const pages = [];
  let contract = {};
  for await (const page of sdk.paginateGetOutpostBillingInformation({ client, pageSize: 1 },
    { OutpostIdentifier: SERVER_OUTPOST })) {
    pages.push(page.Subscriptions.map((s) => ({ id: s.SubscriptionId, type: s.SubscriptionType,
      status: s.SubscriptionStatus, begin: s.BeginDate.toISOString(), end: s.EndDate.toISOString(),
      monthly: s.MonthlyRecurringPrice, upfront: s.UpfrontPrice })));
    contract = { endDate: page.ContractEndDate, term: page.PaymentTerm, option: page.PaymentOption };
  }
  const option = pricing.PricingOptions.map((o) => o.SubscriptionPricingDetails)
    .find((d) => d.PaymentOption === "NO_UPFRONT" && d.PaymentTerm === "ONE_YEAR");
  const answer = (r) => ({ outpostId: r.OutpostId, option: r.PaymentOption, term: r.PaymentTerm,
                           upfront: r.UpfrontPrice, monthly: r.MonthlyRecurringPrice });
  return { pricingResult: pricing.PricingResult, options: pricing.PricingOptions.length,
           offered: { upfront: option.UpfrontPrice, monthly: option.MonthlyRecurringPrice },
           created: answer(created), again: answer(again), pages, contract };
}

async function main() {
  const report = { model: { version: require("@aws-sdk/client-outposts/package.json").version,
                            fiveYears: sdk.PaymentTerm.FIVE_YEARS === "FIVE_YEARS",
                            createQuote: typeof sdk.CreateQuoteCommand === "function",
                            getQuote: typeof sdk.GetQuoteCommand === "function",
                            createRenewal: typeof sdk.CreateRenewalCommand === "function" } };

  const created = (await placeOrder(2)).Order;
  const got = (await client.send(new sdk.GetOrderCommand({ OrderId: created.OrderId }))).Order;
  report.lineItemOrder = { orderId: created.OrderId, sameOnGet: got.OrderId === created.OrderId,
    status: got.Status, paymentTerm: got.PaymentTerm, quantity: got.LineItems[0].Quantity,
    lineItemId: got.LineItems[0].LineItemId, submittedIsDate: got.OrderSubmissionDate instanceof Date,
    submitted: got.OrderSubmissionDate.toISOString() };

  const extra = [(await placeOrder(1)).Order.OrderId, (await placeOrder(1)).Order.OrderId];
  const pages = [];
  for await (const page of sdk.paginateListOrders({ client, pageSize: 1 }, { OutpostIdentifierFilter: RACK_OUTPOST })) {
    pages.push(page.Orders.map((o) => o.OrderId));
  }
  report.pagination = { pages, placed: [created.OrderId, ...extra] };

  await client.send(new sdk.CancelOrderCommand({ OrderId: created.OrderId }));
  const cancelled = (await client.send(new sdk.GetOrderCommand({ OrderId: created.OrderId }))).Order;
  report.cancel = { status: cancelled.Status, lineItems: cancelled.LineItems.map((i) => i.Status) };

  report.renewals = await renewals();
  const decommission = await client.send(new sdk.StartOutpostDecommissionCommand({ OutpostIdentifier: RACK_OUTPOST,
    ValidateOnly: true }));
  report.decommission = { status: decommission.Status, blocking: decommission.BlockingResourceTypes };

  const errors = {};
  errors.ValidationException = await failure(() => client.send(new sdk.GetOrderCommand({ OrderId: "not-an-order" })));
  errors.NotFoundException = await failure(() =>
    client.send(new sdk.GetOrderCommand({ OrderId: "oo-00000000000000000" })));
  errors.ConflictException = await failure(() =>
    client.send(new sdk.CancelOrderCommand({ OrderId: created.OrderId })));
  errors.ServiceQuotaExceededException = await failure(async () => {
    for (let n = 0; n < 20; n++) await placeOrder(1);
  });
  await faults({ ListSites: { error_rate: 1.0 } });
  errors.InternalServerException = await failure(() => client.send(new sdk.ListSitesCommand({})));
  await faults({ ListSites: { throttle_rate: 1.0 } });
  errors.ThrottlingException = await failure(() => client.send(new sdk.ListSitesCommand({})));
  await faults(null);
  errors.NotImplementedException = await failure(() =>
    client.send(new sdk.GetSiteAddressCommand({ SiteId: process.env.SITE_ID, AddressType: "SHIPPING_ADDRESS" })));
  report.errors = errors;
  process.stdout.write(JSON.stringify(report));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
