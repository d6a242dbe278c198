/** StatusReason is the machine-readable reason of a failed request, as kube-apiserver names it. */
export type StatusReason =
  | "BadRequest"
  | "Unauthorized"
  | "Forbidden"
  | "NotFound"
  | "AlreadyExists"
  | "Conflict"
  | "Gone"
  | "Expired"
  | "Invalid"
  | "MethodNotAllowed"
  | "NotAcceptable"
  | "UnsupportedMediaType"
  | "RequestEntityTooLarge"
  | "InternalError"
  | "ServiceUnavailable";

/** StatusDetails names the object a failure is about. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: { reason?: string; message: string; field?: string }[];
}

/** Status is the metav1.Status body of every error response (and of some deletes). */
export interface Status {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure" | "Success";
  message: string;
  reason: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** ApiError is a failure that the HTTP layer turns into a Status response with its code. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  /** toStatus renders the error as the Status object kube-apiserver would send. */
  toStatus(): Status {
    const status: Status = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: this.message, reason: this.reason, code: this.code };
    if (this.details !== undefined) status.details = this.details;
    return status;
  }
}

/** ResourceRef names an object in error messages: `services "x"`. */
export interface ResourceRef {
  resource: string;
  group: string;
  kind: string;
  name: string;
}

function details(ref: ResourceRef): StatusDetails {
  const result: StatusDetails = { name: ref.name, kind: ref.resource };
  if (ref.group !== "") result.group = ref.group;
  return result;
}

function qualified(ref: ResourceRef): string {
  return ref.group === "" ? ref.resource : `${ref.resource}.${ref.group}`;
}

/** notFound is the 404 for a missing object. */
export function notFound(ref: ResourceRef): ApiError {
  return new ApiError(404, "NotFound", `${qualified(ref)} "${ref.name}" not found`, details(ref));
}

/** alreadyExists is the 409 for a create over an existing name. */
export function alreadyExists(ref: ResourceRef): ApiError {
  return new ApiError(409, "AlreadyExists", `${qualified(ref)} "${ref.name}" already exists`, details(ref));
}

/** conflict is the 409 for an update carrying a stale resourceVersion. */
export function conflict(ref: ResourceRef): ApiError {
  return new ApiError(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${qualified(ref)} "${ref.name}": the object has been modified; please apply your changes to the latest version and try again`,
    details(ref),
  );
}

/** FieldError is one failed validation, reported as a cause of a 422. */
export interface FieldError {
  field: string;
  message: string;
  reason?: "FieldValueInvalid" | "FieldValueRequired" | "FieldValueDuplicate" | "FieldValueNotSupported" | "FieldValueForbidden";
}

/** invalid is the 422 for an object that fails validation. */
export function invalid(ref: ResourceRef, errors: FieldError[]): ApiError {
  const summary = errors.map((e) => `${e.field}: ${e.message}`).join(", ");
  // The kind is qualified by its group, as kube-apiserver writes it: `Deployment.apps "x" is invalid`.
  const kind = ref.group === "" ? ref.kind : `${ref.kind}.${ref.group}`;
  return new ApiError(422, "Invalid", `${kind} "${ref.name}" is invalid: ${summary}`, {
    ...details(ref),
    kind: ref.kind,
    causes: errors.map((e) => ({ reason: e.reason ?? "FieldValueInvalid", message: e.message, field: e.field })),
  });
}

/** badRequest is the 400 for a request this server cannot read. */
export function badRequest(message: string): ApiError {
  return new ApiError(400, "BadRequest", message);
}

/** gone is the 410 for a resourceVersion or continue token older than the compacted history. */
export function gone(message: string): ApiError {
  return new ApiError(410, "Expired", message);
}
