import 'reflect-metadata';
import { createLogger } from '../../platform/logger';
import { runMain } from '../../platform/service';
import { createCoursesService } from './app';
import { coursesConfigFromEnv } from './env';

void runMain(() => createCoursesService(coursesConfigFromEnv()), createLogger('courses'));
