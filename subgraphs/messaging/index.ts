import 'reflect-metadata';
import { createLogger } from '../../platform/logger';
import { runMain } from '../../platform/service';
import { messagingSubgraph } from './app';

void runMain(() => messagingSubgraph.create(process.env), createLogger('messaging'));
