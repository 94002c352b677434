/**
 * The shape of the PVE API schema (PVE::JSONSchema's dialect): JSON-schema-like, with
 * booleans written as 0/1 and `optional: 1` instead of a `required` list.
 */
export interface SchemaProp {
  type?: string | readonly string[];
  optional?: number | boolean;
  properties?: Readonly<Record<string, SchemaProp>>;
  additionalProperties?: number | boolean | SchemaProp;
  items?: SchemaProp;
  enum?: readonly (string | number)[];
  /** A registered format name, or an inline property-string format. */
  format?: string | Readonly<Record<string, SchemaProp>>;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  requires?: string | SchemaProp;
  default?: unknown;
  alias?: string;
}

/** `permissions.check`, e.g. ["perm", "/vms/{vmid}", ["VM.PowerMgmt"]] or [..., "any", 1]. */
export type PermissionCheck = readonly unknown[];

export interface MethodInfo {
  method: string;
  name: string;
  parameters: SchemaProp;
  returns: SchemaProp;
  permissions?: { check?: PermissionCheck; user?: string };
  allowtoken?: number;
  protected?: number;
  proxyto?: string;
}

export interface SchemaEndpoint {
  method: string;
  /** The schema's path template, e.g. /nodes/{node}/qemu/{vmid}/status/current. */
  path: string;
  info: MethodInfo;
}
