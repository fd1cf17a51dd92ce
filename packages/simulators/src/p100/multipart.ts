/** A minimal `multipart/form-data` reader for the simulator's upload endpoints (no dependency). */

export interface MultipartPart {
  readonly name: string;
  readonly fileName?: string;
  readonly contentType?: string;
  readonly data: Buffer;
}

function boundaryOf(contentType: string): string | undefined {
  if (!/^multipart\/form-data\b/i.test(contentType.trim())) return undefined;
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

function headerParam(header: string, name: string): string | undefined {
  const match =
    new RegExp(`\\b${name}="([^"]*)"`, 'i').exec(header) ??
    new RegExp(`\\b${name}=([^;\\s]+)`, 'i').exec(header);
  return match?.[1];
}

/** The parts of a multipart body; `undefined` when the content type is not multipart or the body is broken. */
export function parseMultipart(contentType: string | undefined, body: Buffer): MultipartPart[] | undefined {
  const boundary = contentType === undefined ? undefined : boundaryOf(contentType);
  if (boundary === undefined) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let position = body.indexOf(delimiter);
  if (position < 0) return undefined;
  for (;;) {
    position += delimiter.length;
    // `--` after a delimiter closes the body.
    if (body.subarray(position, position + 2).toString('latin1') === '--') return parts;
    if (body.subarray(position, position + 2).toString('latin1') !== '\r\n') return undefined;
    position += 2;
    const headerEnd = body.indexOf('\r\n\r\n', position);
    if (headerEnd < 0) return undefined;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) return undefined;
    const headers = body.subarray(position, headerEnd).toString('utf8').split('\r\n');
    const disposition = headers.find((line) => /^content-disposition:/i.test(line)) ?? '';
    const type = headers.find((line) => /^content-type:/i.test(line));
    const name = headerParam(disposition, 'name');
    if (name === undefined) return undefined;
    const fileName = headerParam(disposition, 'filename');
    parts.push({
      name,
      ...(fileName !== undefined ? { fileName } : {}),
      ...(type !== undefined ? { contentType: type.replace(/^content-type:\s*/i, '').trim() } : {}),
      data: body.subarray(headerEnd + 4, next),
    });
    position = next + 2;
  }
}
