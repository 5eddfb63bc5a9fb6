import type { Feature } from '../../../platform/subgraph/feature';
import { PushDevice } from './push-device.entity';
import { PushDeviceResolver } from './push-device.resolver';

/** Push devices: the FCM tokens of people's phones and browsers (`registerPushDevice`); the push worker sends to them. */
export const deviceFeature = {
  entities: [PushDevice],
  resolvers: [PushDeviceResolver],
} satisfies Feature;
