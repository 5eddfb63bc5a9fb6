import 'reflect-metadata';
import { createLogger } from '../platform/logger';
import { runMain } from '../platform/service';
import { createGatewayService } from './app';
import { gatewayConfigFromEnv } from './env';

void runMain(() => createGatewayService(gatewayConfigFromEnv()), createLogger('gateway'));
