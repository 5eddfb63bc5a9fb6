import 'reflect-metadata';
import { createLogger } from '../../platform/logger';
import { runMain } from '../../platform/service';
import { usersSubgraph } from './app';

void runMain(() => usersSubgraph.create(process.env), createLogger('users'));
