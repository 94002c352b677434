/**
 * The one way a handler refuses a request. pveproxy turns a PVE::Exception into the HTTP
 * status, puts the first line of the message in the status line's reason phrase and the
 * whole message (ending in "\n", as Perl `die` leaves it) in the body.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Readonly<Record<string, string>>,
    /** 401 and proxy failures answer with an empty body, like pveproxy does. */
    readonly emptyBody = false,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** 400 "Parameter verification failed." with per-parameter texts, as PVE::JSONSchema raises it. */
export function paramError(errors: Record<string, string>): ApiError {
  return new ApiError(400, 'Parameter verification failed.\n', errors);
}

/** A plain `die "...\n"` inside an API method: HTTP 500. */
export function failure(message: string): ApiError {
  return new ApiError(500, message.endsWith('\n') ? message : `${message}\n`);
}
