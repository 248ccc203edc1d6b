import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { PayChannel } from './pay-channel';
import { PayChannelProvider } from './pay-channel.decorator';

/** Finds a channel by the code stored on the pay order. */
@Injectable()
export class ChannelRegistry implements OnModuleInit {
  private readonly channels = new Map<string, PayChannel>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders({ metadataKey: PayChannelProvider.KEY })) {
      const channel = wrapper.instance as PayChannel;
      if (this.channels.has(channel.code)) {
        throw new Error(`two pay channels share the code ${channel.code}`);
      }
      this.channels.set(channel.code, channel);
    }
  }

  find(code: string): PayChannel | undefined {
    return this.channels.get(code);
  }
}
