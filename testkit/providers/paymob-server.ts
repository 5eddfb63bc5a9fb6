import { createHmac, randomBytes } from 'node:crypto';
import { startStub, type StubRequest, type StubServer } from './http-stub';

/**
 * A stand-in for Paymob (Accept) on loopback, implementing what billing uses as Paymob documents
 * it (../shared/reference/payments.md §1): the Intention API (`POST /v1/intention/`, secret-key
 * `Token` auth), refunds and voids (`POST /api/acceptance/void_refund/{refund,void}`), and the
 * *transaction processed* callback a payment produces, signed with HMAC-SHA512 over the 20
 * documented fields. The HMAC here is written from the documentation on its own, not taken from
 * billing, so each checks the other.
 */
export interface PaymobServerOptions {
  secretKey: string;
  publicKey: string;
  hmacSecret: string;
  cardIntegrationId: number;
  walletIntegrationId: number;
}

export interface PaymobIntention {
  id: string;
  clientSecret: string;
  orderId: number;
  body: Record<string, unknown>;
}

export interface PaymobTransactionRecord {
  obj: Record<string, unknown>;
  refundedCents: number;
  voided: boolean;
}

/** The processed callback of a transaction: what Paymob POSTs (JSON body, `?hmac=`). */
export interface PaymobCallback {
  body: { type: 'TRANSACTION'; obj: Record<string, unknown> };
  hmac: string;
}

export interface PaymobServer extends StubServer {
  options: PaymobServerOptions;
  intentions: Map<number, PaymobIntention>;
  transactions: Map<number, PaymobTransactionRecord>;
  /** The intention of a checkout URL billing handed out (by its client secret). */
  intentionOf(checkoutUrl: string): PaymobIntention;
  /** The payer pays an intention: a new transaction and its signed processed callback. */
  pay(
    orderId: number,
    opts?: { success?: boolean; pending?: boolean; sourceType?: 'card' | 'wallet' | 'aggregator'; amountCents?: number },
  ): PaymobCallback;
  /** Signs `obj` as Paymob would (for tests that alter a callback and re-sign it, or not). */
  sign(obj: Record<string, unknown>): string;
}

/** The 20 signed paths of a processed callback's `obj`, in order (payments.md §1.3). */
const SIGNED = [
  'amount_cents',
  'created_at',
  'currency',
  'error_occured',
  'has_parent_transaction',
  'id',
  'integration_id',
  'is_3d_secure',
  'is_auth',
  'is_capture',
  'is_refunded',
  'is_standalone_payment',
  'is_voided',
  'order.id',
  'owner',
  'pending',
  'source_data.pan',
  'source_data.sub_type',
  'source_data.type',
  'success',
];

export function paymobSignature(obj: Record<string, unknown>, secret: string): string {
  const text = SIGNED.map((path) => {
    const value = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], obj);
    return typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value);
  }).join('');
  return createHmac('sha512', secret).update(text).digest('hex');
}

const OWNER = 302852;

export async function startPaymobServer(options: PaymobServerOptions): Promise<PaymobServer> {
  const intentions = new Map<number, PaymobIntention>();
  const transactions = new Map<number, PaymobTransactionRecord>();
  let nextOrder = 217_503_000;
  let nextTransaction = 192_036_000;
  const authorized = (req: StubRequest) => req.headers.authorization === `Token ${options.secretKey}`;
  const refused = (status: number, detail: string) => ({ status, body: { detail } });

  const createIntention = (req: StubRequest) => {
    if (!authorized(req)) return refused(401, 'Authentication credentials were not provided.');
    const body = req.json as Record<string, unknown>;
    const amount = body?.amount;
    const problems: string[] = [];
    if (!Number.isInteger(amount) || (amount as number) <= 0) problems.push('amount must be a positive integer (cents)');
    if (body?.currency !== 'EGP') problems.push('currency must be EGP');
    const methods = body?.payment_methods;
    if (
      !Array.isArray(methods) ||
      !methods.length ||
      !methods.every((m) => [options.cardIntegrationId, options.walletIntegrationId].includes(m as number))
    ) {
      problems.push('payment_methods must list integration ids of this account');
    }
    const items = body?.items as Array<{ amount: number; quantity: number; name: string }> | undefined;
    if (
      !Array.isArray(items) ||
      items.reduce((sum, i) => sum + i.amount * i.quantity, 0) !== amount ||
      items.some((i) => !i.name || i.name.length > 50)
    ) {
      problems.push('items must add up to amount (names of at most 50 characters)');
    }
    const billing = body?.billing_data as Record<string, unknown> | undefined;
    for (const field of ['first_name', 'last_name', 'email', 'phone_number'])
      if (!billing?.[field]) problems.push(`billing_data.${field} is required`);
    if (typeof body?.notification_url !== 'string' || typeof body?.special_reference !== 'string')
      problems.push('notification_url and special_reference are required');
    if (problems.length) return refused(400, problems.join('; '));
    const orderId = nextOrder++;
    const intention: PaymobIntention = {
      id: `pi_test_${randomBytes(8).toString('hex')}`,
      clientSecret: `egy_csk_test_${randomBytes(12).toString('hex')}`,
      orderId,
      body,
    };
    intentions.set(orderId, intention);
    return {
      status: 201,
      body: {
        id: intention.id,
        client_secret: intention.clientSecret,
        intention_order_id: orderId,
        status: 'intended',
        special_reference: body.special_reference,
        payment_keys: (methods as number[]).map((integration) => ({ integration, key: randomBytes(16).toString('hex') })),
      },
    };
  };

  const refundOrVoid = (req: StubRequest, kind: 'refund' | 'void') => {
    if (!authorized(req)) return refused(401, 'Authentication credentials were not provided.');
    const body = req.json as { transaction_id?: number; amount_cents?: number };
    const parent = transactions.get(Number(body?.transaction_id));
    if (!parent || parent.obj.success !== true) return refused(404, 'Transaction not found');
    const source = (parent.obj.source_data as { type: string }).type;
    const total = parent.obj.amount_cents as number;
    if (kind === 'void') {
      if (source !== 'card' || parent.voided || parent.refundedCents) return refused(400, 'Transaction cannot be voided');
      parent.voided = true;
    } else {
      if (source === 'aggregator') return refused(400, 'Kiosk transactions cannot be refunded');
      const amount = body.amount_cents;
      if (!Number.isInteger(amount) || (amount as number) <= 0 || parent.refundedCents + (amount as number) > total || parent.voided) {
        return refused(400, 'Refund amount exceeds the transaction amount');
      }
      parent.refundedCents += amount as number;
    }
    const child = transaction(parent.obj.order as { id: number }, kind === 'void' ? total : body.amount_cents!, {
      success: true,
      parent: parent.obj.id as number,
    });
    return { status: 200, body: { ...child, is_refund: kind === 'refund', is_void: kind === 'void' } };
  };

  const transaction = (
    order: { id: number },
    amountCents: number,
    opts: { success?: boolean; pending?: boolean; sourceType?: string; parent?: number } = {},
  ): Record<string, unknown> => {
    const id = nextTransaction++;
    const sourceType = opts.sourceType ?? 'card';
    const obj = {
      id,
      pending: opts.pending ?? false,
      amount_cents: amountCents,
      success: opts.success ?? true,
      is_auth: false,
      is_capture: false,
      is_standalone_payment: true,
      is_voided: false,
      is_refunded: false,
      is_3d_secure: sourceType === 'card',
      integration_id: sourceType === 'wallet' ? options.walletIntegrationId : options.cardIntegrationId,
      profile_id: 164295,
      has_parent_transaction: opts.parent !== undefined,
      order: { ...order, currency: 'EGP', amount_cents: amountCents },
      created_at: new Date().toISOString().replace('Z', ''),
      currency: 'EGP',
      source_data:
        sourceType === 'card'
          ? { pan: '2346', type: 'card', sub_type: 'MasterCard' }
          : { pan: '01010101010', type: sourceType, sub_type: sourceType },
      error_occured: false,
      owner: OWNER,
      parent_transaction: opts.parent ?? null,
      data: { message: opts.success === false ? 'Declined' : 'Approved' },
    };
    transactions.set(id, { obj, refundedCents: 0, voided: false });
    return obj;
  };

  const stub = await startStub((req) => {
    if (req.method === 'POST' && req.path === '/v1/intention/') return createIntention(req);
    if (req.method === 'POST' && req.path === '/api/acceptance/void_refund/refund') return refundOrVoid(req, 'refund');
    if (req.method === 'POST' && req.path === '/api/acceptance/void_refund/void') return refundOrVoid(req, 'void');
    return undefined;
  });

  const server = stub as PaymobServer;
  Object.assign(server, {
    options,
    intentions,
    transactions,
    sign: (obj: Record<string, unknown>) => paymobSignature(obj, options.hmacSecret),
    intentionOf(checkoutUrl: string) {
      const secret = new URL(checkoutUrl).searchParams.get('clientSecret');
      const found = [...intentions.values()].find((i) => i.clientSecret === secret);
      if (!found) throw new Error(`no intention for ${checkoutUrl}`);
      return found;
    },
    pay(orderId: number, opts: Parameters<PaymobServer['pay']>[1] = {}) {
      const intention = intentions.get(orderId);
      if (!intention) throw new Error(`no intention with order ${orderId}`);
      const order = { id: orderId, merchant_order_id: intention.body.special_reference };
      const obj = transaction(order, opts.amountCents ?? (intention.body.amount as number), opts);
      return { body: { type: 'TRANSACTION' as const, obj }, hmac: paymobSignature(obj, options.hmacSecret) };
    },
  });
  return server;
}
