import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ChannelRegistry } from './channel-registry.service';

/** The channel registry: every provider marked `@PayChannelProvider()`, found by its code. */
@Module({
  imports: [DiscoveryModule],
  providers: [ChannelRegistry],
  exports: [ChannelRegistry],
})
export class ChannelModule {}
