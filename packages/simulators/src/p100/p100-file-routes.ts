/**
 * P100's file uploads: KYC files (for Method A) and proof-of-address files, as multipart bodies
 * checked for count, type and size; each accepted (or refused KYC) upload sends its webhook.
 * Source: P100's Partner API docs (Add KYC Files, Add POA File).
 */
import type { SimulatorRequest, SimulatorResponse } from '../simulator-server';
import { requestHeader } from '../simulator-wire';
import { parseMultipart } from './multipart';
import type { MultipartPart } from './multipart';
import type { P100SimulatorContext } from './p100-state';
import { FILE_TYPES, MAX_FILES, MAX_FILE_BYTES, p100Error, validationError } from './p100-wire';

/** The file parts of the multipart body (of `field` only, when given); `undefined` when not multipart. */
function fileParts(request: SimulatorRequest, field?: string): MultipartPart[] | undefined {
  const parts = parseMultipart(requestHeader(request, 'content-type'), request.rawBody);
  return parts?.filter(
    (part) =>
      (field === undefined || part.name === field) &&
      (part.fileName !== undefined || part.contentType !== undefined),
  );
}

function checkFiles(parts: ReadonlyArray<MultipartPart>): SimulatorResponse | undefined {
  if (parts.length === 0) return validationError(['files should not be empty.']);
  if (parts.length > MAX_FILES) return validationError([`You can upload up to ${MAX_FILES} files.`]);
  for (const part of parts) {
    const type = (part.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!FILE_TYPES.includes(type)) return p100Error('P426');
  }
  for (const part of parts) if (part.data.length > MAX_FILE_BYTES) return p100Error('P440');
  if (parts.some((part) => part.data.length === 0)) return validationError(['files must not be empty.']);
  return undefined;
}

const NOT_MULTIPART = 'The request must be multipart/form-data with files.';

export function kycFiles(context: P100SimulatorContext, request: SimulatorRequest): SimulatorResponse {
  const externalUserId = request.params.externalUserId as string;
  const user = context.users.get(externalUserId);
  if (!user) return p100Error('P412');
  // P100 does not document the field name: any file field is taken (the adapter sends `files`).
  const parts = fileParts(request);
  if (parts === undefined) return validationError([NOT_MULTIPART]);
  const problem = checkFiles(parts);
  if (problem) {
    // "Dispatched immediately following an attempt to upload": ERROR when the files were refused.
    if (problem.status === 400 && parts.length > 0)
      context.deliverer.deliver({ externalUserId, status: 'ERROR' });
    return problem;
  }
  if (user.status === 'VERIFIED') return p100Error('P442');
  user.kycFiles = parts.length;
  context.deliverer.deliver({ externalUserId, status: 'ADDED' });
  return { status: 201, body: { message: 'KYC files added successfully' } };
}

export function poaFiles(context: P100SimulatorContext, request: SimulatorRequest): SimulatorResponse {
  const externalUserId = request.params.externalUserId as string;
  const user = context.users.get(externalUserId);
  if (!user) return p100Error('P412');
  const parts = fileParts(request, 'files');
  if (parts === undefined) return validationError([NOT_MULTIPART]);
  const problem = checkFiles(parts);
  if (problem) return problem;
  if (user.poa === 'APPROVED') return p100Error('P447');
  if (user.poa === 'WAITING') return p100Error('P211');
  user.poa = 'WAITING';
  context.deliverer.deliver({ externalUserId, status: 'WAITING' });
  return { status: 201, body: { message: 'POA files added successfully' } };
}
