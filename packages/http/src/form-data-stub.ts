/**
 * A stand-in for the `form-data` package in bundles (`@kycport/http/form-data-stub`): it exports the
 * runtime's own spec `FormData`. Alias `form-data` to it (esbuild `alias`, webpack `resolve.alias`)
 * to leave out form-data and mime-db, which axios's Node build requires when it loads (about 160 KB of
 * a minified bundle; see docs/bundling.md).
 *
 * Safe for kycport because axios uses the `form-data` package only to build a form from a plain
 * object (`axios.toFormData`, or an object body sent as `multipart/form-data`), and kycport never
 * does: its bodies are JSON values or a spec `FormData` (P100's uploads), which axios's HTTP adapter
 * serialises itself. Even on those paths axios would get a spec `FormData` here, which it handles;
 * only appending a Node stream to such a form would fail.
 */
const FormDataStub: typeof globalThis.FormData = globalThis.FormData;

// `module.exports = FormData`, as the `form-data` package does: axios's CommonJS build uses
// the `form-data` module itself as the constructor.
export = FormDataStub;
