import { DiscoveryService } from '@nestjs/core';

/**
 * Marks a provider as a {@link PayChannel}. The registry discovers every marked provider,
 * so adding a channel is one folder plus importing its module.
 */
export const PayChannelProvider = DiscoveryService.createDecorator<void>();
