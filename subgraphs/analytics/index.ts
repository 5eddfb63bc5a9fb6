import 'reflect-metadata';
import { createLogger } from '../../platform/logger';
import { runMain } from '../../platform/service';
import { analyticsSubgraph } from './app';

void runMain(() => analyticsSubgraph.create(process.env), createLogger('analytics'));
