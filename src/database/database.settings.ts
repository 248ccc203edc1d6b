import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsString, Max, Min, ValidateIf } from 'class-validator';
import { AsBool, AsInt } from '../config/settings';

export const DB_TYPES = ['sqlite', 'mysql'] as const;
export type DbType = (typeof DB_TYPES)[number];

const onSqlite = (settings: DatabaseSettings) => settings.UNIPAY_DB_TYPE === 'sqlite';
const onMysql = (settings: DatabaseSettings) => settings.UNIPAY_DB_TYPE === 'mysql';

/** The standalone server's database: the embedded SQLite file by default, or MySQL. */
export class DatabaseSettings {
  @IsIn(DB_TYPES)
  UNIPAY_DB_TYPE: DbType = 'sqlite';

  @ValidateIf(onSqlite)
  @IsString()
  @IsNotEmpty()
  UNIPAY_SQLITE_PATH = 'data/unipay.sqlite';

  @ValidateIf(onMysql)
  @IsString()
  @IsNotEmpty()
  UNIPAY_DB_HOST = '127.0.0.1';

  @AsInt()
  @IsInt()
  @Min(1)
  @Max(65535)
  UNIPAY_DB_PORT = 3306;

  @ValidateIf(onMysql)
  @IsString()
  @IsNotEmpty()
  UNIPAY_DB_USER = 'root';

  @IsString()
  UNIPAY_DB_PASSWORD = '';

  @ValidateIf(onMysql)
  @IsString()
  @IsNotEmpty()
  UNIPAY_DB_NAME = 'unipay';

  @AsInt()
  @IsInt()
  @Min(1)
  @Max(500)
  UNIPAY_DB_POOL_SIZE = 10;

  /** Run the pending migrations at boot (under a database lock on MySQL). */
  @AsBool()
  @IsBoolean({ message: 'must be true or false' })
  UNIPAY_DB_MIGRATE = true;
}
