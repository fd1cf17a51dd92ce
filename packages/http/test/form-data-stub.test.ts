/**
 * `@kycport/http/form-data-stub` stands in for the `form-data` package in bundles (docs/bundling.md).
 * Here axios is loaded with the stub in place of `form-data`, as a bundle built with
 * `alias: { 'form-data': '@kycport/http/form-data-stub' }` loads it, and the transport's multipart path
 * (P100's uploads) and JSON path are checked by what a loopback server received.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import * as t from 'io-ts';
import { kycErrorFromHttpStatus } from '@kycport/core';
import { createHttpClient, defineEndpoint } from '@kycport/http';
import FormDataStub from '../src/form-data-stub';

interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A loopback server that records each request (headers and raw body) and answers `{ "ok": true }`. */
async function recordingServer(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks),
      });
      response.writeHead(201, { 'content-type': 'application/json' });
      response.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, server };
}

const upload = defineEndpoint({
  operation: 'submitVerification',
  method: 'POST',
  path: '/v1/user/kyc-files/{id}',
  idempotent: false,
  response: t.type({ ok: t.boolean }),
});

/** The `form-data` module axios requires, as resolved from axios's own directory. */
const formDataPath = require.resolve('form-data', { paths: [dirname(require.resolve('axios'))] });
let stubLoads = 0;

beforeAll(() => {
  // Like the bundler alias: every load of `form-data` (axios's own included) gets the stub.
  jest.doMock(formDataPath, () => {
    stubLoads += 1;
    return FormDataStub;
  });
});

afterAll(() => jest.dontMock(formDataPath));

describe('@kycport/http/form-data-stub', () => {
  it('is the runtime FormData, exported as the module itself (as form-data exports its class)', () => {
    expect(FormDataStub).toBe(globalThis.FormData);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(require('../src/form-data-stub')).toBe(globalThis.FormData);
  });

  it('a P100-style upload through axios loaded with the stub arrives as the same multipart parts', async () => {
    const { url, received, server } = await recordingServer();
    const front = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 1, 2, 3, 254, 255]);
    const selfie = new Uint8Array(300).map((_, index) => (index * 7) % 256);
    const form = new FormData();
    form.append('files', new Blob([front], { type: 'image/jpeg' }), 'front.jpg');
    form.append('files', new Blob([selfie], { type: 'image/png' }), 'selfie.png');
    const http = createHttpClient({
      provider: 'p100',
      baseUrl: url,
      authenticate: () => ({ 'x-api-key': 'p100-stub-test-key' }),
      mapError: (failure) => kycErrorFromHttpStatus(failure.provider, failure.status, {}),
      retry: false,
    });
    try {
      const result = await http.call(upload, { pathParams: { id: 'user-1' }, body: form })();
      expect(result).toMatchObject({ _tag: 'Right', right: { status: 201, data: { ok: true } } });
      expect(stubLoads).toBeGreaterThan(0); // axios required form-data and got the stub
      expect(received).toHaveLength(1);
      const [request] = received as [Received];
      expect(request).toMatchObject({ method: 'POST', url: '/v1/user/kyc-files/user-1' });
      expect(request.headers['x-api-key']).toBe('p100-stub-test-key');
      const contentType = request.headers['content-type'] ?? '';
      expect(contentType).toMatch(/^multipart\/form-data; boundary=\S+$/);
      expect(Number(request.headers['content-length'])).toBe(request.body.length);
      // The server's view of the body, parsed by the runtime's own multipart reader.
      const parsed = await new Response(request.body, {
        headers: { 'content-type': contentType },
      }).formData();
      const files = parsed.getAll('files') as File[];
      expect(files.map((file) => [file.name, file.type])).toEqual([
        ['front.jpg', 'image/jpeg'],
        ['selfie.png', 'image/png'],
      ]);
      expect(new Uint8Array(await (files[0] as File).arrayBuffer())).toEqual(front);
      expect(new Uint8Array(await (files[1] as File).arrayBuffer())).toEqual(selfie);
    } finally {
      http.close();
      server.close();
    }
  });

  it('JSON bodies are unaffected', async () => {
    const { url, received, server } = await recordingServer();
    const http = createHttpClient({
      provider: 'plu',
      baseUrl: url,
      authenticate: () => ({}),
      mapError: (failure) => kycErrorFromHttpStatus(failure.provider, failure.status, {}),
      retry: false,
    });
    try {
      const result = await http.call(upload, { pathParams: { id: 'user-2' }, body: { name: 'Jane' } })();
      expect(result).toMatchObject({ _tag: 'Right' });
      const [request] = received as [Received];
      expect(request.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(request.body.toString('utf8'))).toEqual({ name: 'Jane' });
    } finally {
      http.close();
      server.close();
    }
  });

  it('where axios itself would make a form (axios.toFormData), it makes a spec FormData it can send', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const axios = (require('axios') as { default: { toFormData: (value: object) => unknown } }).default;
    const form = axios.toFormData({ field: 'value', bytes: new Uint8Array([1, 2, 3]) });
    expect(form).toBeInstanceOf(globalThis.FormData);
    expect((form as FormData).get('field')).toBe('value');
    expect((form as FormData).get('bytes')).toBeInstanceOf(Blob);
  });
});
