import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { UnipayEvent, UnipayEventHandler, UnipayEventListener, UnipayEventType } from 'unipay-sync';
import { Shipment } from './shipment.entity';

/** The gateway ships the goods of an order that sync found paid. */
@Injectable()
@UnipayEventListener()
export class ShipOnPayment implements UnipayEventHandler {
  constructor(@InjectRepository(Shipment) private readonly shipments: Repository<Shipment>) {}

  async handle(event: UnipayEvent): Promise<void> {
    if (event.type !== UnipayEventType.PAY_ORDER_SUCCESS) return;
    // Events come at least once: keyed by the event id, a second delivery ships nothing.
    await this.shipments.createQueryBuilder().insert().values({ eventId: event.id, orderNo: event.orderNo, shippedAt: new Date() }).orIgnore().execute();
  }
}
