import { runService } from '@casino/shared';
import { createApp } from './app';

void runService('user', ['registrations', 'logins'], createApp);
