/**
 * DirectScale's customer orders and their shipment packages, kept in memory. Each created
 * order gets the next order number and one `Submitted` package holding a line item per order
 * item, in the warehouse the order names (1 when it names none).
 */
import type { SandboxAnswer, SandboxContext, SandboxStore } from "./server.ts";

type Json = Record<string, unknown>;

/** Order numbers start here, so they do not look like the package or line item IDs. */
const FIRST_ORDER_NUMBER = 10_001;
const DEFAULT_WAREHOUSE_ID = 1;
const SHIP_WITHIN_MS = 3 * 24 * 60 * 60 * 1000;

interface Sequences {
  order: number;
  package: number;
  lineItem: number;
}

const rejected = (message: string): SandboxAnswer => ({ status: 400, body: { Message: message } });

export function directscaleSandbox(context: SandboxContext): SandboxStore {
  let orders = new Map<string, { createdAt: number }>();
  let packages = new Map<number, Json>();
  let next: Sequences = { order: FIRST_ORDER_NUMBER, package: 1, lineItem: 1 };

  const iso = (time = context.now()) => new Date(time).toISOString();

  function lineItem(
    orderNumber: number,
    packageNumber: number,
    itemId: number,
    quantity: number,
    currency: string,
  ): Json {
    return {
      OrderLineItemId: next.lineItem++,
      OrderNumber: orderNumber,
      PackageNumber: packageNumber,
      ItemId: itemId,
      Sku: `SKU-${itemId}`,
      ProductName: `Item ${itemId}`,
      CategoryId: 0,
      Qty: quantity,
      Amount: 0,
      Cost: 0,
      Bonus: 0,
      Cv: 0,
      Qv: 0,
      CurrencyCode: currency,
      Height: 0,
      Length: 0,
      Width: 0,
      Weight: 0,
      FlagCancer: false,
      FlagBirthDefects: false,
      HasKitGroups: false,
      Image: "/no_image.jpg",
    };
  }

  /** A package's address fields from either address shape the spec allows. */
  function addressFields(address: Json): Json {
    return {
      Address1: String(address.Street1 ?? address.Line1 ?? ""),
      Address2: (address.Street2 ?? address.Line2 ?? null) as string | null,
      City: String(address.City ?? ""),
      State: String(address.Region ?? address.State ?? ""),
      Zip: String(address.PostalCode ?? address.Zip ?? ""),
      CountryCode: String(address.CountryCode ?? ""),
    };
  }

  function createOrder(customerId: string, body: Json): SandboxAnswer {
    const orderNumber = next.order++;
    const createdAt = context.now();
    orders.set(String(orderNumber), { createdAt });
    const currency = String(body.CurrencyCode);
    const items = body.Items as { ItemId?: number; Quantity?: number }[];
    const packageId = next.package++;
    packages.set(packageId, {
      ID: packageId,
      CustomerID: customerId,
      OrderNumber: orderNumber,
      WarehouseID: body.WarehouseId ?? DEFAULT_WAREHOUSE_ID,
      ShipMethodID: body.ShipMethodId,
      Carrier: null,
      Status: "Submitted",
      ShipTo: [body.FirstName, body.LastName].filter(Boolean).join(" "),
      ...addressFields(body.ShippingAddress as Json),
      Height: 0,
      Length: 0,
      Width: 0,
      Weight: 0,
      Notes: (body.SpecialInstructions ?? null) as string | null,
      ShipByDate: iso(createdAt + SHIP_WITHIN_MS),
      PrintedDate: null,
      ShippedDate: null,
      TrackingNumber: null,
      Code: null,
      LineItems: items.map((item) => lineItem(orderNumber, packageId, item.ItemId ?? 0, item.Quantity ?? 1, currency)),
      invoicedAt: createdAt,
    });
    const total = (body.Payments as { Amount?: number }[]).reduce((sum, payment) => sum + (payment.Amount ?? 0), 0);
    return {
      status: 201,
      body: {
        OrderId: orderNumber,
        Total: total,
        SubTotal: total,
        TaxTotal: 0,
        ShippingTotal: 0,
        DiscountTotal: 0,
        TaxableSubTotal: total,
        QvTotal: 0,
        CvTotal: 0,
        CurrencyCode: currency,
        Items: items,
      },
    };
  }

  const visible = ({ invoicedAt: _invoicedAt, ...fields }: Json) => fields;

  function listPackages(query: URLSearchParams): SandboxAnswer {
    const warehouseId = Number(query.get("warehouseId"));
    const midnight = new Date(context.now());
    midnight.setHours(0, 0, 0, 0);
    const from = query.has("invoiceStartDate") ? Date.parse(query.get("invoiceStartDate") ?? "") : midnight.getTime();
    const to = query.has("invoiceEndDate") ? Date.parse(query.get("invoiceEndDate") ?? "") : context.now();
    const statuses = (query.get("packageStatuses") ?? "NotSpecified").split(",");
    const listed = [...packages.values()].filter(
      (found) =>
        found.WarehouseID === warehouseId &&
        (found.invoicedAt as number) >= from &&
        (found.invoicedAt as number) <= to &&
        (statuses.includes("NotSpecified") || statuses.includes(found.Status as string)),
    );
    return { status: 200, body: listed.map(visible) };
  }

  function splitPackage(packageId: number, newPackages: Json[]): SandboxAnswer {
    const original = packages.get(packageId);
    if (!original) return rejected(`There is no package ${packageId}.`);
    const remaining = new Map((original.LineItems as Json[]).map((item) => [item.OrderLineItemId as number, item]));
    const moved: Json[][] = [];
    for (const [index, entry] of newPackages.entries()) {
      const items: Json[] = [];
      for (const itemId of entry.itemIds as number[]) {
        const item = remaining.get(itemId);
        if (!item)
          return rejected(`Line item ${itemId} (entry ${index}) is not on package ${packageId}, or is moved twice.`);
        remaining.delete(itemId);
        items.push(item);
      }
      moved.push(items);
    }
    const created = newPackages.map((entry, index) => {
      const id = next.package++;
      const split: Json = {
        ...original,
        ID: id,
        WarehouseID: entry.warehouseId,
        ShipMethodID: entry.shipMethodId,
        ShipTo: entry.shipToName,
        ...addressFields(entry.shippingAddress as Json),
        Height: entry.height ?? 0,
        Length: entry.length ?? 0,
        Width: entry.width ?? 0,
        Weight: entry.weight ?? 0,
        Notes: entry.notes ?? null,
        ShipByDate: entry.shipByDate,
        LineItems: (moved[index] ?? []).map((item) => ({ ...item, PackageNumber: id })),
      };
      packages.set(id, split);
      return split;
    });
    original.LineItems = [...remaining.values()];
    return { status: 201, body: [original, ...created].map(visible) };
  }

  function reset() {
    orders = new Map();
    packages = new Map();
    next = { order: FIRST_ORDER_NUMBER, package: 1, lineItem: 1 };
    for (const order of context.fixtures.orders ?? []) {
      const { CustomerId = "1", ...body } = order as Json;
      createOrder(String(CustomerId), body);
    }
  }
  reset();

  return {
    reset,
    routes: [
      {
        method: "POST",
        path: "/v1/customers/{customerId}/orders",
        handle: ({ body }, { customerId = "" }) => createOrder(customerId, body as Json),
      },
      {
        method: "PUT",
        path: "/v1/orders/{orderId}/enqueuestats",
        handle: (_, { orderId = "" }) =>
          orders.has(orderId) ? { status: 200 } : { status: 404, body: { Message: `Order ${orderId} was not found.` } },
      },
      { method: "GET", path: "/v1/orders/packages", handle: ({ query }) => listPackages(query) },
      {
        method: "POST",
        path: "/v1/orders/packages/split/{packageId}",
        handle: ({ body }, { packageId = "" }) => splitPackage(Number(packageId), body as Json[]),
      },
    ],
  };
}
