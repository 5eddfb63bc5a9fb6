import 'reflect-metadata';
import { createLogger } from '../../platform/logger';
import { runMain } from '../../platform/service';
import { billingSubgraph } from './app';

void runMain(() => billingSubgraph.create(process.env), createLogger('billing'));
