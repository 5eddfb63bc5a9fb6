import 'reflect-metadata';
import { createLogger } from '../../platform/logger';
import { runMain } from '../../platform/service';
import { createUsersService } from './app';
import { usersConfigFromEnv } from './env';

void runMain(() => createUsersService(usersConfigFromEnv()), createLogger('users'));
