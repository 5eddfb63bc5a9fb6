import 'reflect-metadata';
import { createLogger } from '../platform/logger';
import { runMain } from '../platform/service';
import { createRegistryService } from './app';
import { registryConfigFromEnv } from './env';

void runMain(() => createRegistryService(registryConfigFromEnv()), createLogger('registry'));
