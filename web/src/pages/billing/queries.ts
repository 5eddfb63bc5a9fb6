import { graphql } from '../../gql';

/**
 * Everything the billing page shows at once. Money comes `formatted` in the page's language (the
 * variable also makes a language switch load it again). Plans: the school's price list (course plans
 * and school-wide ones); subscriptions: the student's own, or the children's for a parent.
 */
export const BillingOverview = graphql(`
  query BillingOverview($locale: Locale) {
    me {
      id
      displayName
      roles
      children {
        id
        displayName
        planSubscriptions {
          ...BillingSubscriptionFields
        }
      }
      planSubscriptions {
        ...BillingSubscriptionFields
      }
    }
    plans {
      id
      name
      interval
      price {
        formatted(locale: $locale)
      }
      course {
        id
        title
      }
    }
  }
`);

export const BillingSubscriptionFields = graphql(`
  fragment BillingSubscriptionFields on PlanSubscription {
    id
    status
    currentPeriodEnd
    plan {
      id
      name
    }
    student {
      id
      displayName
    }
  }
`);

/** The viewer's payments, oldest first, a page at a time. */
export const BillingPayments = graphql(`
  query BillingPayments($locale: Locale, $after: String) {
    me {
      id
      payments(first: 20, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            provider
            method
            status
            createdAt
            checkoutUrl
            fawryReferenceNumber
            expiresAt
            amount {
              amountPiasters
              formatted(locale: $locale)
            }
            refundedAmount {
              amountPiasters
              formatted(locale: $locale)
            }
            invoice {
              id
              number
              pdfUrl
            }
            subscription {
              id
              plan {
                id
                name
              }
            }
            student {
              id
              displayName
            }
          }
        }
      }
    }
  }
`);

export const BillingSubscribe = graphql(`
  mutation BillingSubscribe(
    $planId: ID!
    $studentId: ID!
    $provider: PaymentProvider!
    $method: PaymentMethod!
    $contact: PaymentContactInput
    $locale: Locale
  ) {
    subscribe(planId: $planId, studentId: $studentId, provider: $provider, method: $method, contact: $contact) {
      id
      provider
      method
      status
      checkoutUrl
      fawryReferenceNumber
      expiresAt
      amount {
        formatted(locale: $locale)
      }
    }
  }
`);

export const BillingCancelSubscription = graphql(`
  mutation BillingCancelSubscription($id: ID!) {
    cancelPlanSubscription(id: $id) {
      id
      status
      currentPeriodEnd
    }
  }
`);

/** One payment's amount in the page's language (after a language switch on the Fawry instructions). */
export const BillingPaymentAmount = graphql(`
  query BillingPaymentAmount($id: ID!, $locale: Locale) {
    payment(id: $id) {
      id
      amount {
        formatted(locale: $locale)
      }
    }
  }
`);
