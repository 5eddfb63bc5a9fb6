import { createHash, randomInt } from 'node:crypto';
import { startStub, type StubRequest, type StubServer } from './http-stub';

/**
 * A stand-in for FawryPay on loopback, implementing what billing uses as Fawry documents it
 * (../shared/reference/payments.md §2): the charge API for PAYATFAWRY reference numbers, the
 * express checkout link for cards, Get Payment Status V2 and the refund API, each verifying its
 * SHA-256 signature (answering Fawry's 9946 otherwise), and the V2 server notification a payment
 * produces, signed with `messageSignature`. Signatures are computed here from the documentation on
 * their own, not taken from billing.
 */
export interface FawryServerOptions {
  merchantCode: string;
  secureKey: string;
}

export interface FawryOrder {
  merchantRefNum: string;
  referenceNumber: string;
  paymentMethod: 'PAYATFAWRY' | 'CARD';
  amount: number;
  customerProfileId: string;
  expiry: number;
  status: 'UNPAID' | 'PAID' | 'EXPIRED' | 'REFUNDED' | 'PARTIAL_REFUNDED';
  refunded: number;
  request: Record<string, unknown>;
}

export interface FawryServer extends StubServer {
  options: FawryServerOptions;
  orders: Map<string, FawryOrder>;
  /** The order of a merchant reference (billing's `merchantRef`). */
  order(merchantRefNum: string): FawryOrder;
  /** The order a hosted checkout URL belongs to. */
  orderOfCheckout(url: string): FawryOrder;
  /** The payer pays (at a Fawry point, or on the card page): the order is PAID; returns the signed V2 notification. */
  pay(merchantRefNum: string): Record<string, unknown>;
  /** A V2 notification of the order in any status, signed. */
  notification(merchantRefNum: string, orderStatus: string): Record<string, unknown>;
  /** Signs a notification body as Fawry does (for tests that tamper with one). */
  sign(n: Record<string, unknown>): string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const twoDecimals = (n: unknown) => Number(n).toFixed(2);
const FAILED = (code: number, description: string) => ({ status: 200, body: { statusCode: code, statusDescription: description } });

export function fawryNotificationSignature(n: Record<string, unknown>, secureKey: string): string {
  return sha256(
    `${n.fawryRefNumber}${n.merchantRefNumber}${twoDecimals(n.paymentAmount)}${twoDecimals(n.orderAmount)}${n.orderStatus}${n.paymentMethod}${n.paymentRefrenceNumber ?? ''}${secureKey}`,
  );
}

export async function startFawryServer(options: FawryServerOptions): Promise<FawryServer> {
  const { merchantCode, secureKey } = options;
  const orders = new Map<string, FawryOrder>();
  const byCheckout = new Map<string, string>();
  let stubUrl = '';

  const charge = (req: StubRequest) => {
    const b = req.json as Record<string, unknown>;
    if (b?.merchantCode !== merchantCode) return FAILED(9901, 'Invalid merchant code');
    if (b.paymentMethod !== 'PAYATFAWRY') return FAILED(9935, 'Only PAYATFAWRY is offered to this merchant without a card token');
    const expected = sha256(
      `${merchantCode}${b.merchantRefNum}${b.customerProfileId ?? ''}${b.paymentMethod}${twoDecimals(b.amount)}${secureKey}`,
    );
    if (b.signature !== expected) return FAILED(9946, 'Signature mismatch');
    const items = (b.chargeItems as Array<{ price: number; quantity: number }>) ?? [];
    if (Math.abs(items.reduce((s, i) => s + i.price * i.quantity, 0) - Number(b.amount)) > 0.001)
      return FAILED(9938, 'Items do not add up');
    const referenceNumber = String(randomInt(100_000_000, 999_999_999));
    const order: FawryOrder = {
      merchantRefNum: String(b.merchantRefNum),
      referenceNumber,
      paymentMethod: 'PAYATFAWRY',
      amount: Number(b.amount),
      customerProfileId: String(b.customerProfileId ?? ''),
      expiry: Number(b.paymentExpiry),
      status: 'UNPAID',
      refunded: 0,
      request: b,
    };
    orders.set(order.merchantRefNum, order);
    return {
      status: 200,
      body: {
        type: 'ChargeResponse',
        referenceNumber,
        merchantRefNumber: order.merchantRefNum,
        expirationTime: order.expiry,
        statusCode: 200,
        statusDescription: 'Operation done successfully',
      },
    };
  };

  const checkout = (req: StubRequest) => {
    const b = req.json as Record<string, unknown>;
    if (b?.merchantCode !== merchantCode) return { status: 400, body: { statusCode: 9901, statusDescription: 'Invalid merchant code' } };
    const items = (b.chargeItems as Array<{ itemId: string; quantity: number; price: number }>) ?? [];
    const expected = sha256(
      `${merchantCode}${b.merchantRefNum}${b.customerProfileId ?? ''}${b.returnUrl}${items.map((i) => `${i.itemId}${i.quantity}${twoDecimals(i.price)}`).join('')}${secureKey}`,
    );
    if (b.signature !== expected) return { status: 400, body: { statusCode: 9946, statusDescription: 'Signature mismatch' } };
    const order: FawryOrder = {
      merchantRefNum: String(b.merchantRefNum),
      referenceNumber: String(randomInt(100_000_000, 999_999_999)),
      paymentMethod: 'CARD',
      amount: items.reduce((s, i) => s + i.price * i.quantity, 0),
      customerProfileId: String(b.customerProfileId ?? ''),
      expiry: Number(b.paymentExpiry),
      status: 'UNPAID',
      refunded: 0,
      request: b,
    };
    orders.set(order.merchantRefNum, order);
    const token = randomInt(1_000_000, 9_999_999).toString(36);
    byCheckout.set(token, order.merchantRefNum);
    // Fawry answers the hosted page's URL as the body.
    return { status: 200, body: `${stubUrl}/atfawry/plugin/checkout/${token}` };
  };

  const statusV2 = (req: StubRequest) => {
    const ref = req.query.get('merchantRefNumber') ?? '';
    if (req.query.get('merchantCode') !== merchantCode) return FAILED(9901, 'Invalid merchant code');
    if (req.query.get('signature') !== sha256(`${merchantCode}${ref}${secureKey}`)) return FAILED(9946, 'Signature mismatch');
    const order = orders.get(ref);
    if (!order) return FAILED(9938, 'Payment not found');
    return {
      status: 200,
      body: {
        type: 'PaymentStatusResponse',
        referenceNumber: order.referenceNumber,
        merchantRefNumber: order.merchantRefNum,
        paymentAmount: order.amount,
        orderAmount: order.amount,
        fawryFees: 0,
        orderStatus: order.status,
        paymentMethod: order.paymentMethod,
        paymentTime: order.status === 'PAID' ? Date.now() : undefined,
        statusCode: 200,
        statusDescription: 'Operation done successfully',
      },
    };
  };

  const refund = (req: StubRequest) => {
    const b = req.json as Record<string, unknown>;
    if (b?.merchantCode !== merchantCode) return FAILED(9901, 'Invalid merchant code');
    const expected = sha256(`${merchantCode}${b.referenceNumber}${twoDecimals(b.refundAmount)}${b.reason ?? ''}${secureKey}`);
    if (b.signature !== expected) return FAILED(9946, 'Signature mismatch');
    const order = [...orders.values()].find((o) => o.referenceNumber === String(b.referenceNumber));
    if (!order || !['PAID', 'PARTIAL_REFUNDED'].includes(order.status)) return FAILED(9938, 'Payment not found or not paid');
    const amount = Number(b.refundAmount);
    if (!(amount > 0) || order.refunded + amount > order.amount + 0.001) return FAILED(9954, 'Refund amount exceeds the paid amount');
    order.refunded += amount;
    order.status = order.refunded >= order.amount - 0.001 ? 'REFUNDED' : 'PARTIAL_REFUNDED';
    return { status: 200, body: { type: 'ResponseDataModel', statusCode: 200, statusDescription: 'Operation done successfully' } };
  };

  const stub = await startStub((req) => {
    if (req.method === 'POST' && req.path === '/ECommerceWeb/Fawry/payments/charge') return charge(req);
    if (req.method === 'POST' && req.path === '/fawrypay-api/api/payments/init') return checkout(req);
    if (req.method === 'GET' && req.path === '/ECommerceWeb/Fawry/payments/status/v2') return statusV2(req);
    if (req.method === 'POST' && req.path === '/ECommerceWeb/Fawry/payments/refund') return refund(req);
    return undefined;
  });
  stubUrl = stub.url;

  const server = stub as FawryServer;
  const order = (merchantRefNum: string) => {
    const found = orders.get(merchantRefNum);
    if (!found) throw new Error(`no Fawry order ${merchantRefNum}`);
    return found;
  };
  const notification = (merchantRefNum: string, orderStatus: string) => {
    const o = order(merchantRefNum);
    const n: Record<string, unknown> = {
      requestId: `c72827d084ea4b88949d91dd2db4996e${randomInt(1000, 9999)}`,
      fawryRefNumber: o.referenceNumber,
      merchantRefNumber: o.merchantRefNum,
      customerName: (o.request.customerName as string) ?? '',
      customerMobile: (o.request.customerMobile as string) ?? '',
      customerMail: (o.request.customerEmail as string) ?? '',
      customerMerchantId: o.customerProfileId,
      paymentAmount: o.amount,
      orderAmount: o.amount,
      fawryFees: 0,
      shippingFees: 0,
      orderStatus,
      paymentMethod: o.paymentMethod,
      ...(o.paymentMethod === 'PAYATFAWRY' ? { paymentRefrenceNumber: String(randomInt(1_000_000, 9_999_999)) } : {}),
      orderExpiryDate: o.expiry,
      orderItems: (o.request.chargeItems as unknown[]) ?? [],
    };
    n.messageSignature = fawryNotificationSignature(n, secureKey);
    return n;
  };
  Object.assign(server, {
    options,
    orders,
    order,
    notification,
    sign: (n: Record<string, unknown>) => fawryNotificationSignature(n, secureKey),
    orderOfCheckout(url: string) {
      const token = url.split('/').pop()!;
      return order(byCheckout.get(token) ?? '');
    },
    pay(merchantRefNum: string) {
      order(merchantRefNum).status = 'PAID';
      return notification(merchantRefNum, 'PAID');
    },
  });
  return server;
}
