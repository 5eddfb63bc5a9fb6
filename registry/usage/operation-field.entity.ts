import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/** A schema coordinate (`Type.field`, `Type.field.argument`, `Input.field`) an operation uses. */
@Entity({ tableName: 'operation_field' })
@Unique({ properties: ['operationId', 'coordinate'] })
export class OperationField {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ length: 64 })
  operationId!: string;

  @Index()
  @Property({ length: 300 })
  coordinate!: string;
}
