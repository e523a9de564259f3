// Command outposts-flows runs flows of the AWS SDK for Go v2 (service/outposts, a model with the
// 2026-06 quote operations and the renewal and billing operations) against the Outposts emulator,
// driven by tests/emulator/test_go_client.py.
//
// The clients are configured only through the environment, as any Go program would be:
// AWS_ENDPOINT_URL_OUTPOSTS and AWS_ENDPOINT_URL_STS, credentials, region. The seeded IDs come from
// RACK_OUTPOST_ID, SERVER_OUTPOST_ID, RACK_CATALOG_ITEM_ID and QUOTE_ID. Each flow prints one JSON line
// {"flow": NAME, ...what it saw}; a flow that fails unexpectedly prints {"flow": NAME, "failed": ...}
// and the program exits 1 after the remaining flows ran.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/outposts"
	"github.com/aws/aws-sdk-go-v2/service/outposts/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

const outpostsModule = "github.com/aws/aws-sdk-go-v2/service/outposts"

// result is what one flow saw.
type result map[string]any

type flows struct {
	ctx      context.Context
	client   *outposts.Client
	sts      *sts.Client
	outpost  string
	server   string // the Outpost renewed
	item     string
	quote    string
	orderIDs []string // every order placed on the rack Outpost, in order
}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRetryMaxAttempts(1))
	if err != nil {
		fmt.Fprintln(os.Stderr, "loading the AWS configuration:", err)
		os.Exit(2)
	}
	f := &flows{ctx: ctx, client: outposts.NewFromConfig(cfg), sts: sts.NewFromConfig(cfg),
		outpost: os.Getenv("RACK_OUTPOST_ID"), server: os.Getenv("SERVER_OUTPOST_ID"),
		item: os.Getenv("RACK_CATALOG_ITEM_ID"), quote: os.Getenv("QUOTE_ID")}
	steps := []struct {
		name string
		run  func() (result, error)
	}{
		{"model", f.model},
		{"caller", f.caller},
		{"quoteOrder", f.quoteOrder},
		{"quoteLifecycle", f.quoteLifecycle},
		{"lineItemOrder", f.lineItemOrder},
		{"pagination", f.pagination},
		{"cancel", f.cancel},
		{"errors", f.errors},
		{"renewals", f.renewals},
		{"decommission", f.decommission},
	}
	failed := false
	for _, step := range steps {
		seen, err := step.run()
		if err != nil {
			failed = true
			seen = result{"failed": err.Error()}
		}
		seen["flow"] = step.name
		line, err := json.Marshal(seen)
		if err != nil {
			line = []byte(fmt.Sprintf(`{"flow": %q, "failed": %q}`, step.name, err.Error()))
			failed = true
		}
		fmt.Println(string(line))
	}
	if failed {
		os.Exit(1)
	}
}

// model: the SDK module actually linked in, and whether its model has the 2026-06 members.
func (f *flows) model() (result, error) {
	version := "unknown"
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == outpostsModule {
				version = dep.Version
			}
		}
	}
	terms := []string{}
	for _, term := range types.PaymentTermFiveYears.Values() {
		terms = append(terms, string(term))
	}
	statuses := []string{}
	for _, status := range types.QuoteStatusCreated.Values() {
		statuses = append(statuses, string(status))
	}
	return result{"version": version, "paymentTerms": terms, "quoteStatuses": statuses}, nil
}

// caller: STS GetCallerIdentity through AWS_ENDPOINT_URL_STS.
func (f *flows) caller() (result, error) {
	identity, err := f.sts.GetCallerIdentity(f.ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return nil, err
	}
	return result{"account": aws.ToString(identity.Account), "arn": aws.ToString(identity.Arn)}, nil
}

// quoteOrder: order an option of the seeded quote, read the order and the quote back, order it again.
func (f *flows) quoteOrder() (result, error) {
	quote, err := f.client.GetQuote(f.ctx, &outposts.GetQuoteInput{QuoteIdentifier: aws.String(f.quote)})
	if err != nil {
		return nil, err
	}
	before := quote.Quote
	option, price := pickOption(before.QuoteOptions, types.PaymentOptionPartialUpfront, types.PaymentTermFiveYears)
	if option == nil {
		return nil, fmt.Errorf("no option of %s is priced for PARTIAL_UPFRONT / FIVE_YEARS", f.quote)
	}
	order := &outposts.CreateOrderInput{OutpostIdentifier: aws.String(f.outpost),
		QuoteIdentifier: before.QuoteId, QuoteOptionIdentifier: option.QuoteOptionIdentifier,
		PaymentOption: types.PaymentOptionPartialUpfront, PaymentTerm: types.PaymentTermFiveYears}
	created, err := f.client.CreateOrder(f.ctx, order)
	if err != nil {
		return nil, err
	}
	orderID := aws.ToString(created.Order.OrderId)
	f.orderIDs = append(f.orderIDs, orderID)
	got, err := f.client.GetOrder(f.ctx, &outposts.GetOrderInput{OrderId: aws.String(orderID)})
	if err != nil {
		return nil, err
	}
	after, err := f.client.GetQuote(f.ctx, &outposts.GetQuoteInput{QuoteIdentifier: before.QuoteId})
	if err != nil {
		return nil, err
	}
	_, again := f.client.CreateOrder(f.ctx, order)
	return result{
		"quoteId":           aws.ToString(before.QuoteId),
		"statusBefore":      string(before.QuoteStatus),
		"optionCount":       len(before.QuoteOptions),
		"optionId":          aws.ToString(option.QuoteOptionIdentifier),
		"optionRacks":       len(option.Specifications),
		"upfrontPrice":      aws.ToFloat32(price.UpfrontPrice),
		"monthlyPrice":      aws.ToFloat32(price.MonthlyRecurringPrice),
		"currency":          string(price.Currency),
		"orderId":           orderID,
		"orderType":         string(got.Order.OrderType),
		"orderStatus":       string(got.Order.Status),
		"orderQuoteId":      aws.ToString(got.Order.QuoteIdentifier),
		"orderQuoteOption":  aws.ToString(got.Order.QuoteOptionIdentifier),
		"orderPayment":      string(got.Order.PaymentOption),
		"orderTerm":         string(got.Order.PaymentTerm),
		"orderLineItems":    len(got.Order.LineItems),
		"statusAfter":       string(after.Quote.QuoteStatus),
		"submittedOrderId":  aws.ToString(after.Quote.SubmittedOrderId),
		"orderedAgainError": describe(again),
	}, nil
}

// quoteLifecycle: CreateQuote, GetQuote, UpdateQuote, ListQuotes (paginated), DeleteQuote, GetQuote.
func (f *flows) quoteLifecycle() (result, error) {
	created, err := f.client.CreateQuote(f.ctx, &outposts.CreateQuoteInput{
		CountryCode: aws.String("US"), OutpostIdentifier: aws.String(f.outpost), Description: aws.String("from Go"),
		RequestedCapacities: []types.QuoteCapacity{{QuoteCapacityType: types.QuoteCapacityTypeEc2,
			Unit: aws.String("c6gd.16xlarge"), Quantity: aws.Float32(2)}},
		RequestedPaymentOptions: []types.PaymentOption{types.PaymentOptionNoUpfront},
		RequestedPaymentTerms:   []types.PaymentTerm{types.PaymentTermFiveYears},
	})
	if err != nil {
		return nil, err
	}
	quoteID := created.Quote.QuoteId
	got, err := f.client.GetQuote(f.ctx, &outposts.GetQuoteInput{QuoteIdentifier: quoteID})
	if err != nil {
		return nil, err
	}
	updated, err := f.client.UpdateQuote(f.ctx, &outposts.UpdateQuoteInput{QuoteIdentifier: quoteID,
		Description:           aws.String("from Go, updated"),
		RequestedPaymentTerms: []types.PaymentTerm{types.PaymentTermOneYear, types.PaymentTermFiveYears}})
	if err != nil {
		return nil, err
	}
	listed := []string{}
	pages := 0
	paginator := outposts.NewListQuotesPaginator(f.client, &outposts.ListQuotesInput{MaxResults: aws.Int32(1)})
	for paginator.HasMorePages() {
		page, err := paginator.NextPage(f.ctx)
		if err != nil {
			return nil, err
		}
		pages++
		for _, summary := range page.Quotes {
			listed = append(listed, aws.ToString(summary.QuoteId))
		}
	}
	if _, err := f.client.DeleteQuote(f.ctx, &outposts.DeleteQuoteInput{QuoteIdentifier: quoteID}); err != nil {
		return nil, err
	}
	_, gone := f.client.GetQuote(f.ctx, &outposts.GetQuoteInput{QuoteIdentifier: quoteID})
	return result{
		"quoteId":            aws.ToString(quoteID),
		"createdStatus":      string(created.Quote.QuoteStatus),
		"createdOutpostArn":  aws.ToString(created.Quote.OutpostArn),
		"createdOptions":     optionIDs(created.Quote.QuoteOptions),
		"createdTerms":       pricedTerms(created.Quote.QuoteOptions),
		"expiresAfterCreate": created.Quote.ExpirationDate.After(aws.ToTime(created.Quote.CreatedDate)),
		"getSameOptions":     equal(optionIDs(got.Quote.QuoteOptions), optionIDs(created.Quote.QuoteOptions)),
		"getDescription":     aws.ToString(got.Quote.Description),
		"updatedDescription": aws.ToString(updated.Quote.Description),
		"updatedOptions":     optionIDs(updated.Quote.QuoteOptions),
		"updatedTerms":       pricedTerms(updated.Quote.QuoteOptions),
		"listed":             listed,
		"listPages":          pages,
		"getAfterDelete":     describe(gone),
	}, nil
}

// lineItemOrder: a FIVE_YEARS order of two racks by catalog item, read back with GetOrder.
func (f *flows) lineItemOrder() (result, error) {
	created, err := f.placeOrder(2)
	if err != nil {
		return nil, err
	}
	got, err := f.client.GetOrder(f.ctx, &outposts.GetOrderInput{OrderId: created.OrderId})
	if err != nil {
		return nil, err
	}
	order := got.Order
	items := []result{}
	for _, item := range order.LineItems {
		items = append(items, result{"lineItemId": aws.ToString(item.LineItemId),
			"catalogItemId": aws.ToString(item.CatalogItemId), "quantity": aws.ToInt32(item.Quantity),
			"status": string(item.Status), "assets": len(item.AssetInformationList)})
	}
	return result{
		"orderId":     aws.ToString(order.OrderId),
		"sameOnGet":   aws.ToString(order.OrderId) == aws.ToString(created.OrderId),
		"outpostId":   aws.ToString(order.OutpostId),
		"status":      string(order.Status),
		"payment":     string(order.PaymentOption),
		"term":        string(order.PaymentTerm),
		"orderType":   string(order.OrderType),
		"lineItems":   items,
		"submittedAt": order.OrderSubmissionDate.UTC().Format("2006-01-02T15:04:05.000Z07:00"),
	}, nil
}

// pagination: two more orders, then every ListOrders page of the rack Outpost at MaxResults 1.
func (f *flows) pagination() (result, error) {
	for range 2 {
		if _, err := f.placeOrder(1); err != nil {
			return nil, err
		}
	}
	pages := [][]string{}
	paginator := outposts.NewListOrdersPaginator(f.client, &outposts.ListOrdersInput{
		OutpostIdentifierFilter: aws.String(f.outpost), MaxResults: aws.Int32(1)})
	for paginator.HasMorePages() {
		page, err := paginator.NextPage(f.ctx)
		if err != nil {
			return nil, err
		}
		ids := []string{}
		for _, summary := range page.Orders {
			ids = append(ids, aws.ToString(summary.OrderId))
		}
		pages = append(pages, ids)
	}
	return result{"pages": pages, "placed": f.orderIDs}, nil
}

// cancel: CancelOrder of the line-item order, read back with GetOrder.
func (f *flows) cancel() (result, error) {
	orderID := aws.String(f.orderIDs[1])
	if _, err := f.client.CancelOrder(f.ctx, &outposts.CancelOrderInput{OrderId: orderID}); err != nil {
		return nil, err
	}
	got, err := f.client.GetOrder(f.ctx, &outposts.GetOrderInput{OrderId: orderID})
	if err != nil {
		return nil, err
	}
	statuses := []string{}
	for _, item := range got.Order.LineItems {
		statuses = append(statuses, string(item.Status))
	}
	return result{"orderId": aws.ToString(orderID), "status": string(got.Order.Status), "lineItems": statuses}, nil
}

// errors: each modeled error of the API as the SDK's own type.
func (f *flows) errors() (result, error) {
	_, validation := f.client.GetOrder(f.ctx, &outposts.GetOrderInput{OrderId: aws.String("not-an-order")})
	_, notFound := f.client.GetOrder(f.ctx, &outposts.GetOrderInput{OrderId: aws.String("oo-00000000000000000")})
	_, conflict := f.client.CancelOrder(f.ctx, &outposts.CancelOrderInput{OrderId: aws.String(f.orderIDs[1])})
	_, overflow := f.client.CreateQuote(f.ctx, &outposts.CreateQuoteInput{CountryCode: aws.String("US"),
		OutpostIdentifier: aws.String(f.outpost),
		RequestedCapacities: []types.QuoteCapacity{{QuoteCapacityType: types.QuoteCapacityTypeEc2,
			Unit: aws.String("c6gd.16xlarge"), Quantity: aws.Float32(3e38)}}})
	return result{"ValidationException": describe(validation), "NotFoundException": describe(notFound),
		"ConflictException": describe(conflict), "floatOverflow": describe(overflow)}, nil
}

// renewals: GetRenewalPricing, CreateRenewal twice with one ClientToken, then every page of
// GetOutpostBillingInformation at MaxResults 1, with the SDK's paginator.
func (f *flows) renewals() (result, error) {
	pricing, err := f.client.GetRenewalPricing(f.ctx, &outposts.GetRenewalPricingInput{OutpostIdentifier: aws.String(f.server)})
	if err != nil {
		return nil, err
	}
	var offered *types.SubscriptionPricingDetails
	for _, option := range pricing.PricingOptions {
		details := option.SubscriptionPricingDetails
		if details != nil && details.PaymentOption == types.PaymentOptionPartialUpfront &&
			details.PaymentTerm == types.PaymentTermThreeYears {
			offered = details
		}
	}
	if offered == nil {
		return nil, fmt.Errorf("GetRenewalPricing of %s has no PARTIAL_UPFRONT / THREE_YEARS option", f.server)
	}
	request := &outposts.CreateRenewalInput{OutpostIdentifier: aws.String(f.server),
		PaymentOption: types.PaymentOptionPartialUpfront, PaymentTerm: types.PaymentTermThreeYears,
		ClientToken: aws.String("go-renewal-token")}
	created, err := f.client.CreateRenewal(f.ctx, request)
	if err != nil {
		return nil, err
	}
	again, err := f.client.CreateRenewal(f.ctx, request)
	if err != nil {
		return nil, err
	}
	pages := [][]result{}
	var contract result
	paginator := outposts.NewGetOutpostBillingInformationPaginator(f.client,
		&outposts.GetOutpostBillingInformationInput{OutpostIdentifier: aws.String(f.server), MaxResults: aws.Int32(1)})
	for paginator.HasMorePages() {
		page, err := paginator.NextPage(f.ctx)
		if err != nil {
			return nil, err
		}
		subscriptions := []result{}
		for _, s := range page.Subscriptions {
			subscriptions = append(subscriptions, result{"id": aws.ToString(s.SubscriptionId),
				"type": string(s.SubscriptionType), "status": string(s.SubscriptionStatus), "orderIds": s.OrderIds,
				"begin": s.BeginDate.UTC().Format(time.RFC3339), "end": s.EndDate.UTC().Format(time.RFC3339),
				"monthly": aws.ToFloat64(s.MonthlyRecurringPrice), "upfront": aws.ToFloat64(s.UpfrontPrice)})
		}
		pages = append(pages, subscriptions)
		contract = result{"endDate": aws.ToString(page.ContractEndDate), "term": string(page.PaymentTerm),
			"option": string(page.PaymentOption)}
	}
	answer := func(r *outposts.CreateRenewalOutput) result {
		return result{"outpostId": aws.ToString(r.OutpostId), "option": string(r.PaymentOption),
			"term": string(r.PaymentTerm), "upfront": aws.ToFloat32(r.UpfrontPrice),
			"monthly": aws.ToFloat32(r.MonthlyRecurringPrice), "currency": string(r.Currency)}
	}
	return result{
		"pricingResult": string(pricing.PricingResult),
		"options":       len(pricing.PricingOptions),
		"offered":       result{"upfront": aws.ToFloat32(offered.UpfrontPrice), "monthly": aws.ToFloat32(offered.MonthlyRecurringPrice)},
		"created":       answer(created),
		"again":         answer(again),
		"pages":         pages,
		"contract":      contract,
	}, nil
}

// decommission: StartOutpostDecommission of the rack Outpost with ValidateOnly, and without it (refused).
func (f *flows) decommission() (result, error) {
	validated, err := f.client.StartOutpostDecommission(f.ctx, &outposts.StartOutpostDecommissionInput{
		OutpostIdentifier: aws.String(f.outpost), ValidateOnly: true})
	if err != nil {
		return nil, err
	}
	blocking := []string{}
	for _, kind := range validated.BlockingResourceTypes {
		blocking = append(blocking, string(kind))
	}
	_, refused := f.client.StartOutpostDecommission(f.ctx, &outposts.StartOutpostDecommissionInput{
		OutpostIdentifier: aws.String(f.outpost)})
	return result{"status": string(validated.Status), "blocking": blocking, "withoutValidateOnly": describe(refused)}, nil
}

func (f *flows) placeOrder(quantity int32) (*types.Order, error) {
	created, err := f.client.CreateOrder(f.ctx, &outposts.CreateOrderInput{OutpostIdentifier: aws.String(f.outpost),
		PaymentOption: types.PaymentOptionAllUpfront, PaymentTerm: types.PaymentTermFiveYears,
		LineItems: []types.LineItemRequest{{CatalogItemId: aws.String(f.item), Quantity: aws.Int32(quantity)}}})
	if err != nil {
		return nil, err
	}
	f.orderIDs = append(f.orderIDs, aws.ToString(created.Order.OrderId))
	return created.Order, nil
}

// describe: how an error reached the program: its Go type, code, HTTP status, message, fields.
func describe(err error) result {
	if err == nil {
		return result{"raised": false}
	}
	seen := result{"raised": true, "goType": "", "message": err.Error()}
	var apiError smithy.APIError
	if errors.As(err, &apiError) {
		seen["code"] = apiError.ErrorCode()
		seen["message"] = apiError.ErrorMessage()
		seen["fault"] = apiError.ErrorFault().String()
	}
	var response *awshttp.ResponseError
	if errors.As(err, &response) {
		seen["httpStatus"] = response.HTTPStatusCode()
	}
	var validation *types.ValidationException
	var notFound *types.NotFoundException
	var conflict *types.ConflictException
	switch {
	case errors.As(err, &validation):
		seen["goType"] = fmt.Sprintf("%T", validation)
	case errors.As(err, &notFound):
		seen["goType"] = fmt.Sprintf("%T", notFound)
	case errors.As(err, &conflict):
		seen["goType"] = fmt.Sprintf("%T", conflict)
		seen["resourceId"] = aws.ToString(conflict.ResourceId)
		seen["resourceType"] = string(conflict.ResourceType)
	}
	return seen
}

// pickOption: the first option priced for the payment option and term, and that price.
func pickOption(options []types.QuoteOption, payment types.PaymentOption,
	term types.PaymentTerm) (*types.QuoteOption, *types.SubscriptionPricingDetails) {
	for i := range options {
		for _, pricing := range options[i].PricingOptions {
			details := pricing.SubscriptionPricingDetails
			if details != nil && details.PaymentOption == payment && details.PaymentTerm == term {
				return &options[i], details
			}
		}
	}
	return nil, nil
}

func optionIDs(options []types.QuoteOption) []string {
	ids := []string{}
	for _, option := range options {
		ids = append(ids, aws.ToString(option.QuoteOptionIdentifier))
	}
	return ids
}

// pricedTerms: the payment terms the first option is priced for.
func pricedTerms(options []types.QuoteOption) []string {
	terms := []string{}
	if len(options) == 0 {
		return terms
	}
	for _, pricing := range options[0].PricingOptions {
		if pricing.SubscriptionPricingDetails != nil {
			terms = append(terms, string(pricing.SubscriptionPricingDetails.PaymentTerm))
		}
	}
	return terms
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
