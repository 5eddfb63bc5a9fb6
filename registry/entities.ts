import { Approval } from './approval/approval.entity';
import { PartnerKey } from './partner-key/partner-key.entity';
import { PersistedClient } from './persisted/persisted-client.entity';
import { PersistedOperation } from './persisted/persisted-operation.entity';
import { Subgraph } from './subgraph/subgraph.entity';
import { ApiToken } from './token/api-token.entity';
import { Operation } from './usage/operation.entity';
import { OperationField } from './usage/operation-field.entity';
import { OperationUsage } from './usage/operation-usage.entity';
import { PartnerOperation } from './usage/partner-operation.entity';
import { SchemaChange } from './version/schema-change.entity';
import { SchemaVersion } from './version/schema-version.entity';
import { WebhookDelivery } from './webhook/webhook-delivery.entity';
import { Webhook } from './webhook/webhook.entity';

export const entities = [
  ApiToken,
  Subgraph,
  SchemaVersion,
  SchemaChange,
  Approval,
  Operation,
  OperationField,
  OperationUsage,
  Webhook,
  WebhookDelivery,
  PersistedOperation,
  PersistedClient,
  PartnerKey,
  PartnerOperation,
];
