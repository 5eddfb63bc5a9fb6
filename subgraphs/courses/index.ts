import 'reflect-metadata';
import { createLogger } from '../../platform/logger';
import { runMain } from '../../platform/service';
import { coursesSubgraph } from './app';

void runMain(() => coursesSubgraph.create(process.env), createLogger('courses'));
