import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ModuleSchema } from '../database/module-schema';
import { Anomaly } from './anomaly.entity';
import { AnomalyRepository } from './anomaly.repository';
import { CreateAnomaly1764190000005 } from './migrations/1764190000005-create-anomaly';

const ANOMALY_SCHEMA: ModuleSchema = { entities: [Anomaly], migrations: [CreateAnomaly1764190000005] };

/** Anomalies as records an operator lists and resolves. */
@Module({
  imports: [TypeOrmModule.forFeature([...ANOMALY_SCHEMA.entities])],
  providers: [AnomalyRepository],
  exports: [AnomalyRepository],
})
export class AnomalyModule {
  static readonly schema = ANOMALY_SCHEMA;
}
