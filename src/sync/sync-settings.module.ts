import { Module } from '@nestjs/common';

/**
 * Carries the SyncModule's settings (SignSettings, SyncSettings) for the whole application.
 * `SyncModule.forRoot()` returns it as a global module that also imports the static
 * SyncModule, so every module that imports SyncModule (the sweep, the sandbox, a host's own
 * modules) shares the one instance.
 */
@Module({})
export class SyncSettingsModule {}
