import { createHmac } from 'node:crypto';
import {
  chargeSignature,
  checkoutSignature,
  fawryAmount,
  notificationSignature,
  piastersOf,
  refundSignature,
  statusSignature,
  verifyNotification,
} from './fawry/fawry-signature';
import { MissingSignedField, paymobHmac, paymobSignedString, verifyPaymobHmac } from './paymob/paymob-hmac';

/**
 * The providers' signatures against their documentation (../shared/reference/payments.md). The
 * expected digests were computed outside Node (`openssl dgst -sha512 -hmac`, `sha256sum`) from the
 * documented concatenations.
 */
describe('Paymob HMAC-SHA512 of a processed callback', () => {
  /** The transaction of the Paymob docs' worked example (payments.md §1.3), as a processed callback's `obj`. */
  const documented = {
    amount_cents: 100000,
    created_at: '2024-06-13T11:33:44.592345',
    currency: 'EGP',
    error_occured: false,
    has_parent_transaction: false,
    id: 192036465,
    integration_id: 4097558,
    is_3d_secure: true,
    is_auth: false,
    is_capture: false,
    is_refunded: false,
    is_standalone_payment: true,
    is_voided: false,
    order: { id: 217503754, merchant_order_id: 'not signed' },
    owner: 302852,
    pending: false,
    source_data: { pan: '2346', sub_type: 'MasterCard', type: 'card' },
    success: true,
    // Fields outside the 20 do not take part.
    data: { message: 'Approved' },
    profile_id: 164295,
  };
  const WORKED_EXAMPLE =
    '1000002024-06-13T11:33:44.592345EGPfalsefalse1920364654097558truefalsefalsefalsetruefalse217503754302852false2346MasterCardcardtrue';

  it('concatenates the 20 documented fields in order, booleans as true/false, exactly as the worked example', () => {
    expect(paymobSignedString(documented)).toBe(WORKED_EXAMPLE);
  });

  it('signs that string with HMAC-SHA512 in lowercase hex', () => {
    const expected =
      '3811721f7020514eda51340ef8f12d0456df185f13df13f2ffc15f49029a3413250ac9aff3cb4e991e3235dc9299341ad6e28f2762e1fa1be23bd80c875f272e';
    expect(paymobHmac(documented, 'paymob-hmac-secret')).toBe(expected);
    expect(createHmac('sha512', 'paymob-hmac-secret').update(WORKED_EXAMPLE).digest('hex')).toBe(expected);
  });

  it('verifies in constant time, whatever the given digest looks like', () => {
    const digest = paymobHmac(documented, 'paymob-hmac-secret');
    expect(verifyPaymobHmac(documented, digest, 'paymob-hmac-secret')).toBe(true);
    expect(verifyPaymobHmac(documented, digest.toUpperCase(), 'paymob-hmac-secret')).toBe(true);
    expect(verifyPaymobHmac(documented, digest, 'another-secret')).toBe(false);
    expect(verifyPaymobHmac({ ...documented, amount_cents: 100 }, digest, 'paymob-hmac-secret')).toBe(false);
    expect(verifyPaymobHmac({ ...documented, success: 'true' }, digest, 'paymob-hmac-secret')).toBe(true);
    expect(verifyPaymobHmac(documented, digest.slice(1), 'paymob-hmac-secret')).toBe(false);
    expect(verifyPaymobHmac(documented, '', 'paymob-hmac-secret')).toBe(false);
  });

  it('refuses a callback lacking a signed field', () => {
    const { source_data: _s, ...incomplete } = documented;
    expect(() => paymobSignedString(incomplete)).toThrow(MissingSignedField);
    expect(() => paymobSignedString({ ...documented, order: {} })).toThrow(/order\.id/);
  });
});

describe('Fawry SHA-256 signatures', () => {
  const key = 'fawry-secure-key';

  it('writes amounts in piasters as 2-decimal EGP and reads Fawry decimals back exactly', () => {
    expect([fawryAmount(10050), fawryAmount(5), fawryAmount(100000), fawryAmount(2010)]).toEqual(['100.50', '0.05', '1000.00', '20.10']);
    expect([piastersOf(20.1), piastersOf('20.10'), piastersOf(0.29), piastersOf(1234.56)]).toEqual([2010, 2010, 29, 123456]);
    expect(() => fawryAmount(1.5)).toThrow(RangeError);
    expect(() => piastersOf('abc')).toThrow(RangeError);
  });

  it('signs a V2 notification: fawryRefNumber + merchantRefNumber + paymentAmount + orderAmount + orderStatus + paymentMethod + paymentRefrenceNumber + key', () => {
    const paid = {
      fawryRefNumber: '970177',
      merchantRefNumber: '9990064204',
      paymentAmount: 20.1,
      orderAmount: 20.1,
      orderStatus: 'PAID',
      paymentMethod: 'PAYATFAWRY',
      paymentRefrenceNumber: '12345',
    };
    expect(notificationSignature(paid, key)).toBe('b7661fbba63dd2a1f0918e6be0b3e8835a4d53a0c4b7d8fc794f6e6b36394a0d');
    // Without a payment reference number, "" takes its place.
    const created = { ...paid, orderStatus: 'NEW', paymentRefrenceNumber: undefined };
    expect(notificationSignature(created, key)).toBe('6beeb8e2e476c5bf85a720d5690c32bfab09e4b3f815897565694c9747e1926b');
    expect(verifyNotification({ ...paid, messageSignature: 'b7661fbba63dd2a1f0918e6be0b3e8835a4d53a0c4b7d8fc794f6e6b36394a0d' }, key)).toBe(
      true,
    );
    expect(
      verifyNotification(
        { ...paid, orderAmount: 2.01, messageSignature: 'b7661fbba63dd2a1f0918e6be0b3e8835a4d53a0c4b7d8fc794f6e6b36394a0d' },
        key,
      ),
    ).toBe(false);
    expect(verifyNotification({ ...paid, messageSignature: 42 }, key)).toBe(false);
  });

  it('signs the charge, status, refund and hosted checkout requests as documented', () => {
    expect(
      chargeSignature(
        {
          merchantCode: 'is0N+YQzlE4=',
          merchantRefNum: '9990064204',
          customerProfileId: '777',
          paymentMethod: 'PAYATFAWRY',
          amount: '20.10',
        },
        key,
      ),
    ).toBe('4fc8eefd0c8ce2310a037dfe7d786d479a890b453d2a6b6e8f41f60798c1532b');
    expect(statusSignature('is0N+YQzlE4=', '9990064204', key)).toBe('a776aa7bee9725f1c5af068ec7820a7fcad8ceb36992eb65d2b1457f449d139c');
    expect(
      refundSignature(
        { merchantCode: 'is0N+YQzlE4=', referenceNumber: '970177', refundAmount: '10.00', reason: 'Customer asked for it' },
        key,
      ),
    ).toBe('cf0e2aa528ec3b8614d3302b81cbcba054a589d9e8e696940d5148afc7e083bc');
    expect(
      checkoutSignature(
        {
          merchantCode: '1tSa6uxz2nRbgY+b+cZGyA==',
          merchantRefNum: '2312465464',
          customerProfileId: '1212',
          returnUrl: 'https://developer.fawrystaging.com',
          items: [
            { itemId: '6b5fdea340e31b3b0339d4d4ae5', quantity: 2, price: '50.00' },
            { itemId: '97092dd9e9c07888c7eef36', quantity: 3, price: '75.25' },
          ],
        },
        key,
      ),
    ).toBe('9051a8e66ae2b5b21b0908f32e9534f24135161a768b74f8d0209ca38ac33ae2');
  });
});
